// The demo service's logs: nginx combined access lines, JSON-lines application logs with levels and
// stack traces, and the timestamp formats both use.
#include "demo/demo_simulator.h"
#include "demo/demo_time.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <set>
#include <string>

using namespace pulse::demo;

namespace {

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;

/// kStart is 2026-11-29T09:00:00Z, mid-morning so the load is moderate.
const std::int64_t kStart = QDateTime(QDate(2026, 11, 29), QTime(9, 0), Qt::UTC).toMSecsSinceEpoch();

QByteArray bytes(const std::string &text)
{
    return QByteArray::fromStdString(text);
}

QJsonObject jsonObject(const std::string &text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(bytes(text), &error);
    return error.error == QJsonParseError::NoError && document.isObject() ? document.object() : QJsonObject();
}

/// kCombinedPattern is nginx's "combined" log_format as a regular expression. Plain literals, not raw
/// strings: moc mis-read the raw-string version and generated nothing for this file.
constexpr char kCombinedPattern[] =
    "^(\\d{1,3}(?:\\.\\d{1,3}){3}) - - \\[(\\d{2})/([A-Z][a-z]{2})/(\\d{4}):(\\d{2}):(\\d{2}):(\\d{2}) \\+0000\\] "
    "\"(GET|POST) (/[^ \"]*) HTTP/1\\.1\" (\\d{3}) (\\d+) \"([^\"]*)\" \"([^\"]+)\"$";

constexpr char kIsoPattern[] = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$";

} // namespace

class TstDemoLogs : public QObject {
    Q_OBJECT
private slots:
    void accessLogIsNginxCombined();
    void appLogIsJsonLines();
    void timestamps();
};

void TstDemoLogs::accessLogIsNginxCombined()
{
    static const QRegularExpression combined(QString::fromLatin1(kCombinedPattern));
    DemoOptions options;
    options.incidentEveryMs = kMinute;
    DemoSimulator sim(options, kStart);
    std::set<QString> statuses;
    std::size_t lines = 0;
    for (std::int64_t t = kStart + 500; t <= kStart + 5 * kMinute; t += 500) {
        sim.advanceTo(t);
        for (const std::string &line : sim.takeAccessLogLines()) {
            const QRegularExpressionMatch match = combined.match(QString::fromStdString(line));
            QVERIFY2(match.hasMatch(), line.c_str());
            QCOMPARE(match.captured(4), QStringLiteral("2026"));
            QCOMPARE(match.captured(3), QStringLiteral("Nov"));
            const QString ip = match.captured(1);
            QVERIFY(ip.startsWith(QStringLiteral("10.")) || ip.startsWith(QStringLiteral("192.0.2.")));
            statuses.insert(match.captured(10));
            ++lines;
        }
    }
    QVERIFY(lines > 3000);
    for (const char *status : {"200", "201", "204", "301", "400", "404", "500", "503"})
        QVERIFY2(statuses.contains(QString::fromLatin1(status)), status);
}

void TstDemoLogs::appLogIsJsonLines()
{
    static const QRegularExpression iso(QString::fromLatin1(kIsoPattern));
    DemoOptions options;
    options.incidentEveryMs = kMinute;
    DemoSimulator sim(options, kStart);
    std::set<QString> levels;
    bool sawStack = false;
    QString previousTs;
    for (std::int64_t t = kStart + kSecond; t <= kStart + 12 * kMinute; t += kSecond) {
        sim.advanceTo(t);
        for (const std::string &line : sim.takeAppLogLines()) {
            QVERIFY2(line.find('\n') == std::string::npos, line.c_str());
            const QJsonObject entry = jsonObject(line);
            QVERIFY2(!entry.isEmpty(), line.c_str());
            const QString ts = entry.value(QStringLiteral("ts")).toString();
            QVERIFY2(iso.match(ts).hasMatch(), line.c_str());
            QVERIFY2(ts >= previousTs, line.c_str());
            previousTs = ts;
            levels.insert(entry.value(QStringLiteral("level")).toString());
            QVERIFY(!entry.value(QStringLiteral("msg")).toString().isEmpty());
            if (entry.contains(QStringLiteral("status"))) {
                QVERIFY(entry.value(QStringLiteral("request_id")).toString().size() == 16);
                QVERIFY(entry.value(QStringLiteral("route")).toString().startsWith(QLatin1Char('/')));
                QVERIFY(entry.value(QStringLiteral("duration_ms")).toDouble() >= 0);
                if (entry.value(QStringLiteral("status")).toInt() >= 500)
                    QCOMPARE(entry.value(QStringLiteral("level")).toString(), QStringLiteral("error"));
            }
            if (entry.contains(QStringLiteral("stack"))) {
                sawStack = true;
                QVERIFY(entry.value(QStringLiteral("stack")).toString().count(QLatin1Char('\n')) >= 3);
            }
        }
    }
    QCOMPARE(levels, (std::set<QString>{QStringLiteral("debug"), QStringLiteral("info"), QStringLiteral("warn"),
                                        QStringLiteral("error")}));
    QVERIFY(sawStack);
}
void TstDemoLogs::timestamps()
{
    const std::int64_t at = QDateTime(QDate(2026, 11, 29), QTime(9, 12, 3, 123), Qt::UTC).toMSecsSinceEpoch();
    QCOMPARE(bytes(formatNginxTime(at)), QByteArray("29/Nov/2026:09:12:03 +0000"));
    QCOMPARE(bytes(formatIsoTime(at)), QByteArray("2026-11-29T09:12:03.123Z"));
    QCOMPARE(bytes(formatIsoTime(0)), QByteArray("1970-01-01T00:00:00.000Z"));
    QCOMPARE(bytes(formatNginxTime(-1)), QByteArray("31/Dec/1969:23:59:59 +0000"));
}

QTEST_GUILESS_MAIN(TstDemoLogs)
#include "tst_demo_logs.moc"
