// pulsectl run's logfmt lines: one event is one line whatever the text, and no URL credential
// reaches the log.
#include "app/pulsectl/run_log.h"

#include <QTest>

#include <sstream>

using namespace pulse::cli;

namespace {
std::int64_t fixedNow()
{
    return 1'796'563'940'466; // 2026-12-06T13:32:20.466Z
}
} // namespace

class TstRunLog : public QObject {
    Q_OBJECT
private slots:
    void valuesAreQuotedOnlyWhenTheyMustBe()
    {
        QCOMPARE(logfmtValue("api"), std::string("api"));
        QCOMPARE(logfmtValue(""), std::string("\"\""));
        QCOMPARE(logfmtValue("connection refused"), std::string("\"connection refused\""));
        QCOMPARE(logfmtValue("a=b"), std::string("\"a=b\""));
        QCOMPARE(logfmtValue("{job=\"api\"}"), std::string("\"{job=\\\"api\\\"}\""));
        QCOMPARE(logfmtValue("two\nlines\r\tand\x01\b"), std::string("\"two\\nlines\\r\\tand\\u0001\\u0008\""));
        QCOMPARE(logfmtValue("back\\slash"), std::string("\"back\\\\slash\""));
        QCOMPARE(logfmtValue("h\xc3\xa9llo"), std::string("h\xc3\xa9llo")); // UTF-8 passes as is
    }

    void urlCredentialsAreRedacted()
    {
        QCOMPARE(redactUrlCredentials("GET http://user:pw@127.0.0.1:9/metrics failed"),
                 std::string("GET http://<secret>@127.0.0.1:9/metrics failed"));
        QCOMPARE(redactUrlCredentials("https://tok@h/x?y=1 and ftp://a:b@c"),
                 std::string("https://<secret>@h/x?y=1 and ftp://<secret>@c"));
        QCOMPARE(redactUrlCredentials("http://127.0.0.1:9/a"), std::string("http://127.0.0.1:9/a"));
        // A password with '/' or '#' in it, written unencoded, goes too ...
        QCOMPARE(redactUrlCredentials("see http://u:pa/ss@h/x"), std::string("see http://<secret>@h/x"));
        QCOMPARE(redactUrlCredentials("'http://u:pa#ss@h' failed"), std::string("'http://<secret>@h' failed"));
        // ... but an '@' in a path or query of a real host:port is not user-info.
        QCOMPARE(redactUrlCredentials("GET http://api:8080/users?email=a@b.com: 404"),
                 std::string("GET http://api:8080/users?email=a@b.com: 404"));
        QCOMPARE(redactUrlCredentials("http://[::1]:9/a@b"), std::string("http://[::1]:9/a@b"));
        QCOMPARE(redactUrlCredentials("no url here: a@b"), std::string("no url here: a@b"));
        QCOMPARE(redactUrlCredentials("ends with ://"), std::string("ends with ://"));
    }

    void oneEventIsOneLine()
    {
        std::ostringstream out;
        RunLog log(out, fixedNow);
        log.warn("target state", {{"target", "api"}, {"error", "bad\nline from http://u:p@127.0.0.1:1/"}});
        QCOMPARE(out.str(), std::string("ts=2026-12-06T13:32:20.466Z level=warn msg=\"target state\" target=api "
                                        "error=\"bad\\nline from http://<secret>@127.0.0.1:1/\"\n"));
    }
};

QTEST_GUILESS_MAIN(TstRunLog)
#include "tst_run_log.moc"
