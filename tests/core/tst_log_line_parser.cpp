// LogLineParser: the regex format (named groups time/level/message, others fields; a line it does not
// match is kept, malformed), its pattern checks, parseLogTimeText's layouts, and records of several
// lines (the first line parsed as the format, the rest appended to the message, raw all of them).
#include "core/logs/log_line_parser.h"
#include "core/logs/log_time.h"

#include <QDateTime>
#include <QTest>

using namespace pulse;

namespace {

std::int64_t utc(int y, int mo, int d, int h, int mi, int s, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC).toMSecsSinceEpoch();
}

const std::int64_t kReadTime = utc(2026, 12, 7, 12, 0, 0);

QString str(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

QString fieldsText(const LogRecord &r)
{
    QStringList out;
    for (const auto &[k, v] : r.fields)
        out << str(k) + QLatin1Char('=') + str(v);
    return out.join(QLatin1Char(';'));
}

} // namespace

class TstLogLineParser : public QObject {
    Q_OBJECT
private slots:
    void regexNamedGroups();
    void regexLineThatDoesNotMatchIsKept();
    void regexOptionalGroupsAndGuessedLevel();
    void regexTimeItCannotReadIsAField();
    void patternChecks_data();
    void patternChecks();
    void timeText_data();
    void timeText();
    void severalLinesAreOneRecord();
    void severalLinesOfJson();
};

void TstLogLineParser::regexNamedGroups()
{
    // A Rails-like line; the pattern is what a user writes in the config.
    const auto parser = LogLineParser::create(
        LogFormat::Regex,
        R"re(^\[(?<time>[^\]]+)\] (?<level>[A-Z]+) -- (?<component>\w+): (?<message>.*) \(took (?<took_ms>\d+)ms\)$)re");
    QVERIFY2(parser, parser ? "" : parser.error().message.c_str());
    const std::string line = "[2026-12-07T03:12:00.250+01:00] WARN -- billing: card declined (took 87ms)";
    const LogRecord r = parser->parse(line, {"shop", kReadTime, 77});
    QVERIFY(!r.malformed);
    QCOMPARE(r.timestampMs, utc(2026, 12, 7, 2, 12, 0, 250));
    QCOMPARE(r.level, LogLevel::Warn);
    QCOMPARE(str(r.message), QStringLiteral("card declined"));
    QCOMPARE(fieldsText(r), QStringLiteral("component=billing;took_ms=87"));
    QCOMPARE(r.raw, line);
    QCOMPARE(r.target, std::string("shop"));
    QCOMPARE(r.offset, std::uint64_t(77));
}

void TstLogLineParser::regexLineThatDoesNotMatchIsKept()
{
    const auto parser = LogLineParser::create(LogFormat::Regex, R"re(^(?<level>\w+): (?<message>.*)$)re");
    QVERIFY(parser);
    const LogRecord r = parser->parse("no colon here", {"app", kReadTime, 0});
    QVERIFY(r.malformed);
    QCOMPARE(r.raw, std::string("no colon here"));
    QCOMPARE(r.message, std::string("no colon here"));
    QCOMPARE(r.timestampMs, kReadTime);
    QCOMPARE(r.level, LogLevel::Unknown);
}

void TstLogLineParser::regexOptionalGroupsAndGuessedLevel()
{
    // No level group: guessed from the message as for plain lines. A group that took no part in the
    // match is left out rather than stored empty; without a message group the message is the line.
    const auto parser = LogLineParser::create(LogFormat::Regex, R"re(^(?<time>\d{10})(?: id=(?<id>\d+))? )re");
    QVERIFY(parser);
    const LogRecord r = parser->parse("1796612400 ERROR disk full", {"app", kReadTime, 0});
    QVERIFY(!r.malformed);
    QCOMPARE(r.timestampMs, std::int64_t(1796612400) * 1000);
    QCOMPARE(r.level, LogLevel::Error);
    QCOMPARE(str(r.message), QStringLiteral("1796612400 ERROR disk full"));
    QVERIFY(r.fields.empty());
    const LogRecord withId = parser->parse("1796612400 id=42 ok", {"app", kReadTime, 0});
    QCOMPARE(fieldsText(withId), QStringLiteral("id=42"));
}

void TstLogLineParser::regexTimeItCannotReadIsAField()
{
    const auto parser = LogLineParser::create(LogFormat::Regex, R"re(^(?<time>\S+) (?<message>.*)$)re");
    QVERIFY(parser);
    const LogRecord r = parser->parse("yesterday-ish hello", {"app", kReadTime, 0});
    QCOMPARE(r.timestampMs, kReadTime);
    QCOMPARE(fieldsText(r), QStringLiteral("time=yesterday-ish"));
    QCOMPARE(str(r.message), QStringLiteral("hello"));
    // A time far in the future is filed by arrival, as for every format.
    const LogRecord future = parser->parse("2099-01-01T00:00:00Z hello", {"app", kReadTime, 0});
    QCOMPARE(future.timestampMs, kReadTime);
    QVERIFY(future.timeReplaced);
}

void TstLogLineParser::patternChecks_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("error"); // empty: accepted
    QTest::newRow("regex needs a pattern") << int(LogFormat::Regex) << QString() << QStringLiteral("needs a pattern");
    QTest::newRow("invalid") << int(LogFormat::Regex) << QStringLiteral("(?<level>\\w+") << QStringLiteral("at offset");
    QTest::newRow("no named group") << int(LogFormat::Regex) << QStringLiteral("^(\\w+) (.*)$")
                                    << QStringLiteral("no named group");
    QTest::newRow("python-style names") << int(LogFormat::Regex) << QStringLiteral("^(?P<level>\\w+) (?P<message>.*)$")
                                        << QString();
    QTest::newRow("pattern with another format")
        << int(LogFormat::NginxCombined) << QStringLiteral("^(?<x>.)") << QStringLiteral("only used with the regex");
    QTest::newRow("other format alone") << int(LogFormat::JsonLines) << QString() << QString();
}

void TstLogLineParser::patternChecks()
{
    QFETCH(int, format);
    QFETCH(QString, pattern);
    QFETCH(QString, error);
    const auto parser = LogLineParser::create(static_cast<LogFormat>(format), pattern.toStdString());
    if (error.isEmpty()) {
        QVERIFY2(parser, parser ? "" : parser.error().message.c_str());
        return;
    }
    QVERIFY(!parser);
    QVERIFY2(str(parser.error().message).contains(error), parser.error().message.c_str());
}

void TstLogLineParser::timeText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms"); // -1: not a time
    QTest::newRow("rfc3339 zulu") << QStringLiteral("2026-12-07T03:12:00.5Z")
                                  << qint64(utc(2026, 12, 7, 3, 12, 0, 500));
    QTest::newRow("offset") << QStringLiteral("2026-12-07 03:12:00-05:00") << qint64(utc(2026, 12, 7, 8, 12, 0));
    QTest::newRow("nginx, bracketed") << QStringLiteral("[07/Dec/2026:03:12:00 +0100]")
                                      << qint64(utc(2026, 12, 7, 2, 12, 0));
    QTest::newRow("slashes") << QStringLiteral("2026/12/07 03:12:00") << qint64(utc(2026, 12, 7, 3, 12, 0));
    QTest::newRow("bsd syslog") << QStringLiteral("Dec  7 03:12:00") << qint64(utc(2026, 12, 7, 3, 12, 0));
    QTest::newRow("epoch seconds") << QStringLiteral("1796612400") << qint64(1796612400000);
    QTest::newRow("epoch fraction") << QStringLiteral("1796612400.25") << qint64(1796612400250);
    QTest::newRow("epoch ms") << QStringLiteral("1796612400123") << qint64(1796612400123);
    QTest::newRow("trailing text") << QStringLiteral("2026-12-07T03:12:00Z and more") << qint64(-1);
    QTest::newRow("two dots") << QStringLiteral("17.96.61") << qint64(-1);
    QTest::newRow("negative") << QStringLiteral("-5") << qint64(-1);
    QTest::newRow("empty") << QString() << qint64(-1);
}

void TstLogLineParser::timeText()
{
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    const auto got = parseLogTimeText(text.toStdString(), kReadTime);
    if (ms < 0) {
        QVERIFY(!got);
        return;
    }
    QVERIFY(got);
    QCOMPARE(qint64(*got), ms);
}

void TstLogLineParser::severalLinesAreOneRecord()
{
    const LogLineParser parser(LogFormat::Plain);
    const std::string text = "2026-12-07T03:12:00Z ERROR request failed\n"
                             "java.lang.IllegalStateException: boom\n"
                             "\tat com.example.Api.handle(Api.java:42)\n"
                             "Caused by: java.io.IOException: reset";
    const LogRecord r = parser.parse(text, {"api", kReadTime, 10});
    QCOMPARE(r.raw, text);
    QCOMPARE(r.level, LogLevel::Error);
    QCOMPARE(r.timestampMs, utc(2026, 12, 7, 3, 12, 0));
    QCOMPARE(str(r.message), QStringLiteral("ERROR request failed\njava.lang.IllegalStateException: boom\n"
                                            "\tat com.example.Api.handle(Api.java:42)\n"
                                            "Caused by: java.io.IOException: reset"));
}

void TstLogLineParser::severalLinesOfJson()
{
    // A JSON line followed by a raw trace its program printed: the object still parses.
    const LogLineParser parser(LogFormat::JsonLines);
    const std::string text = R"({"level":"error","msg":"panic","req":"r1"})"
                             "\n    at main.go:12";
    const LogRecord r = parser.parse(text, {"api", kReadTime, 0});
    QVERIFY(!r.malformed);
    QCOMPARE(r.level, LogLevel::Error);
    QCOMPARE(str(r.message), QStringLiteral("panic\n    at main.go:12"));
    QCOMPARE(r.field("req"), std::string_view("r1"));
    QCOMPARE(r.raw, text);
}

QTEST_APPLESS_MAIN(TstLogLineParser)
#include "tst_log_line_parser.moc"
