// JSON pointers with a "*" token: jsonNumbersAt expands arrays and objects, and JsonProbe's
// extraction records one sample per element with an index/key label, all-or-nothing.
#include "collectors/json_pointer.h"
#include "collectors/json_probe.h"
#include "collectors/probe_report.h"
#include "probe_test_support.h"

#include <QTest>

using namespace pulse;
using pulse::test::findSample;
using pulse::test::valueOf;

namespace {

const char *const kDoc = R"({"queues":[{"name":"mail","depth":3},{"name":"sms","depth":"4"}],)"
                         R"("pools":{"db":{"free":7},"a/b":{"free":true}},"empty":[],"n":5,"bad":[{"depth":1},{}]})";

// render lists the matches as "label=element:value" joined by spaces, or "error: <message>".
QString render(const Result<std::vector<JsonNumberMatch>> &matches)
{
    if (!matches)
        return QStringLiteral("error: ") + QString::fromStdString(matches.error().message);
    QStringList out;
    for (const auto &m : *matches) {
        out << QString::fromStdString(m.label + "=" + m.element + ":") + QString::number(m.value);
    }
    return out.join(QLatin1Char(' '));
}

} // namespace

class TstJsonWildcard : public QObject {
    Q_OBJECT

private slots:
    void numbersAt_data();
    void numbersAt();
    void extractionLabelsEachElement();
    void extractionIsAllOrNothing();
};

void TstJsonWildcard::numbersAt_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("expected"); // render() of the answer, or the start of "error: ..."
    QTest::newRow("no wildcard") << "/n"
                                 << "=:5";
    QTest::newRow("array elements") << "/queues/*/depth"
                                    << "index=0:3 index=1:4";
    QTest::newRow("object members, escaped key") << "/pools/*/free"
                                                 << "key=a/b:1 key=db:7";
    QTest::newRow("empty array") << "/empty/*"
                                 << "";
    QTest::newRow("miss names the element") << "/bad/*/depth"
                                            << "error: JSON pointer '/bad/1/depth' not found: /bad/1 has no member";
    QTest::newRow("not a container") << "/n/*"
                                     << "error: JSON pointer '/n/*': /n is a number, not an array or object";
    QTest::newRow("two wildcards") << "/queues/*/x/*"
                                   << "error: JSON pointer '/queues/*/x/*' has more than one '*'";
    QTest::newRow("a '*' prefix is a plain token") << "/queues/*x"
                                                   << "error: JSON pointer '/queues/*x' not found";
}

void TstJsonWildcard::numbersAt()
{
    QFETCH(QString, pointer);
    QFETCH(QString, expected);
    const auto doc = parseJsonBody(kDoc);
    QVERIFY(doc.has_value());
    const QString got = render(jsonNumbersAt(*doc, pointer.toStdString()));
    if (expected.startsWith(QLatin1String("error: ")))
        QVERIFY2(got.startsWith(expected), qPrintable(got));
    else
        QCOMPARE(got, expected);
}

void TstJsonWildcard::extractionLabelsEachElement()
{
    TargetConfig target{JsonOptions{}};
    target.name = "api";
    ProbeReport report(target, "127.0.0.1:1", 1000);
    const auto doc = parseJsonBody(kDoc);
    QVERIFY(doc.has_value());
    const std::string problem =
        JsonProbe::extractMetrics(*doc, {{"queue_depth", "/queues/*/depth"}, {"pool_free", "/pools/*/free"}}, report);
    QVERIFY2(problem.empty(), problem.c_str());
    const ProbeOutcome outcome = report.finishCheck({});
    QCOMPARE(valueOf(outcome, "queue_depth", {{"index", "0"}, {"job", "api"}}), 3.0);
    QCOMPARE(valueOf(outcome, "queue_depth", {{"index", "1"}}), 4.0);
    QCOMPARE(valueOf(outcome, "pool_free", {{"key", "db"}}), 7.0);
    QCOMPARE(valueOf(outcome, "pool_free", {{"key", "a/b"}}), 1.0);
}

void TstJsonWildcard::extractionIsAllOrNothing()
{
    TargetConfig target{JsonOptions{}};
    target.name = "api";
    ProbeReport report(target, "127.0.0.1:1", 1000);
    const auto doc = parseJsonBody(kDoc);
    QVERIFY(doc.has_value());
    const std::string problem =
        JsonProbe::extractMetrics(*doc, {{"queue_depth", "/queues/*/depth"}, {"bad_depth", "/bad/*/depth"}}, report);
    QVERIFY2(problem.find("'/bad/1/depth' not found") != std::string::npos, problem.c_str());
    QVERIFY2(problem.find("(for metric bad_depth)") != std::string::npos, problem.c_str());
    const ProbeOutcome outcome = report.finishCheck(problem);
    QVERIFY(!findSample(outcome, "queue_depth"));
    QCOMPARE(valueOf(outcome, "probe_success"), 0.0);
}

QTEST_GUILESS_MAIN(TstJsonWildcard)
#include "tst_json_wildcard.moc"
