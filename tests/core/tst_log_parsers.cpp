// Log line parsers: one fixture file per format and per malformed case, the demo service's real
// output, timestamp edge cases, and random bytes that must never crash or lose a line.
#include "core/logs/log_parsers.h"
#include "core/logs/log_time.h"
#include "demo/demo_simulator.h"

#include <QDateTime>
#include <QFile>
#include <QTest>

#include <limits>
#include <random>
#include <set>

using namespace pulse;

namespace {

std::int64_t utc(int y, int mo, int d, int h, int mi, int s, int ms = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s, ms), Qt::UTC).toMSecsSinceEpoch();
}

/// kReadTime is when the fixtures are "read": a few days after their timestamps.
const std::int64_t kReadTime = utc(2026, 12, 1, 0, 0, 0);
const std::int64_t kAt = utc(2026, 11, 29, 9, 12, 3);

QByteArray fixtureLine(const QString &name)
{
    QFile file(QFINDTESTDATA(QStringLiteral("fixtures/logs/") + name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArray bytes = file.readAll();
    if (bytes.endsWith('\n'))
        bytes.chop(1);
    return bytes;
}

LogRecord parseFixture(const QString &name, LogFormat format)
{
    const QByteArray line = fixtureLine(name);
    const LogLineContext context{"web", kReadTime, 1234};
    return parseLogLine(format, std::string_view(line.constData(), std::size_t(line.size())), context);
}

QString str(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

} // namespace

class TstLogParsers : public QObject {
    Q_OBJECT
private slots:
    void fixtures_data();
    void fixtures();
    void jsonKeepsStackNewlines();
    void jsonDecodesUnicode();
    void demoAccessLog();
    void nginxQuotedBackslashes_data();
    void nginxQuotedBackslashes();
    void demoAppLog();
    void isoTimes_data();
    void isoTimes();
    void bsdSyslogYear();
    void epochNumbers();
    void levelWords_data();
    void levelWords();
    void randomBytesNeverLoseALine();
    void implausibleTimesAreFiledByArrival();
    void logfmt_data();
    void logfmt();
};

void TstLogParsers::fixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("format");
    QTest::addColumn<int>("level");
    QTest::addColumn<qint64>("timestamp");
    QTest::addColumn<QString>("message");
    QTest::addColumn<bool>("malformed");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");

    const int nginx = int(LogFormat::NginxCombined);
    const int json = int(LogFormat::JsonLines);
    const int syslog = int(LogFormat::Syslog);
    const int plain = int(LogFormat::Plain);
    const auto L = [](LogLevel level) { return int(level); };
    const auto S = [](const char *text) { return QString::fromUtf8(text); };
    const auto raw = [&](const char *file) { return QString::fromUtf8(fixtureLine(S(file))); };

    QTest::newRow("nginx combined") << S("nginx_combined.log") << nginx << L(LogLevel::Info) << qint64(kAt)
                                    << S("GET /api/orders/42 200") << false << S("user_agent") << S("curl/7.88.1");
    QTest::newRow("nginx 5xx, +0100") << S("nginx_5xx_zone.log") << nginx << L(LogLevel::Error) << qint64(kAt)
                                      << S("POST /api/checkout 503") << false << S("remote_user") << S("alice");
    QTest::newRow("nginx 4xx") << S("nginx_4xx.log") << nginx << L(LogLevel::Warn) << qint64(kAt)
                               << S("GET /missing 404") << false << S("bytes") << S("153");
    QTest::newRow("nginx common") << S("nginx_common.log") << nginx << L(LogLevel::Info) << qint64(kAt)
                                  << S("GET /healthz 204") << false << S("protocol") << S("HTTP/1.0");
    QTest::newRow("nginx garbage request")
        << S("nginx_garbage_request.log") << nginx << L(LogLevel::Warn) << qint64(kAt)
        << S("\\x16\\x03\\x01\\x02\\x00\\x01\\x00 400") << false << S("status") << S("400");
    QTest::newRow("nginx malformed time")
        << S("nginx_malformed_time.log") << nginx << L(LogLevel::Unknown) << qint64(kReadTime)
        << raw("nginx_malformed_time.log") << true << QString() << QString();
    QTest::newRow("nginx malformed cut") << S("nginx_malformed_cut.log") << nginx << L(LogLevel::Unknown)
                                         << qint64(kReadTime) << raw("nginx_malformed_cut.log") << true << QString()
                                         << QString();

    QTest::newRow("json lines") << S("json_lines.log") << json << L(LogLevel::Info) << qint64(kAt + 250)
                                << S("request completed") << false << S("duration_ms") << S("12.5");
    QTest::newRow("json stack") << S("json_stack.log") << json << L(LogLevel::Error) << qint64(kAt)
                                << S("unhandled exception in handler") << false << S("error") << S("KeyError: 'order'");
    QTest::newRow("json epoch seconds") << S("json_epoch_seconds.log") << json << L(LogLevel::Warn) << qint64(kAt + 500)
                                        << S("disk almost full") << false << S("mount") << S("/var");
    QTest::newRow("json bunyan") << S("json_bunyan.log") << json << L(LogLevel::Error) << qint64(kAt) << S("db down")
                                 << false << S("ctx") << S("{\"a\":[1,{\"b\":\"}\"}]}");
    QTest::newRow("json unicode") << S("json_unicode.log") << json << L(LogLevel::Info) << qint64(kAt)
                                  << S("caf\u00e9 \U0001F600 <b>bold</b>") << false << QString() << QString();
    for (const char *file : {"json_malformed_trailing.log", "json_malformed_unterminated.log",
                             "json_malformed_not_object.log", "json_malformed_plain_text.log"}) {
        QTest::newRow(file) << S(file) << json << L(LogLevel::Unknown) << qint64(kReadTime) << raw(file) << true
                            << QString() << QString();
    }

    QTest::newRow("syslog 3164") << S("syslog_3164.log") << syslog << L(LogLevel::Fatal) << qint64(kAt)
                                 << S("'su root' failed for lonvick on /dev/pts/8") << false << S("facility")
                                 << S("auth");
    QTest::newRow("syslog 5424") << S("syslog_5424.log") << syslog << L(LogLevel::Info) << qint64(kAt + 3)
                                 << S("An application event log entry") << false << S("msgid") << S("ID47");
    QTest::newRow("syslog 5424 nil") << S("syslog_5424_nil.log") << syslog << L(LogLevel::Error) << qint64(kReadTime)
                                     << S("disk failure") << false << S("procid") << S("42");
    QTest::newRow("syslog rsyslog file") << S("syslog_rsyslog_file.log") << syslog << L(LogLevel::Info)
                                         << qint64(kAt + 123) << S("Connection closed by 192.0.2.44 port 51234")
                                         << false << S("app_name") << S("sshd");
    QTest::newRow("syslog bsd file") << S("syslog_bsd_file.log") << syslog << L(LogLevel::Info)
                                     << qint64(utc(2026, 11, 9, 9, 12, 3))
                                     << S("(root) CMD (run-parts /etc/cron.hourly)") << false << S("procid")
                                     << S("4411");
    for (const char *file : {"syslog_malformed_pri.log", "syslog_malformed.log"}) {
        QTest::newRow(file) << S(file) << syslog << L(LogLevel::Unknown) << qint64(kReadTime) << raw(file) << true
                            << QString() << QString();
    }

    QTest::newRow("plain iso") << S("plain_iso.log") << plain << L(LogLevel::Error) << qint64(kAt + 123)
                               << S("ERROR [main] db: connection refused") << false << QString() << QString();
    QTest::newRow("plain bracket") << S("plain_bracket.log") << plain << L(LogLevel::Warn) << qint64(kAt)
                                   << S("[warn] cache evicted 42 keys") << false << QString() << QString();
    QTest::newRow("plain slash") << S("plain_slash.log") << plain << L(LogLevel::Error) << qint64(kAt)
                                 << S("[error] 12#12: *1 open() \"/srv/x\" failed (2: No such file or directory)")
                                 << false << QString() << QString();
    QTest::newRow("plain no time") << S("plain_no_time.log") << plain << L(LogLevel::Unknown) << qint64(kReadTime)
                                   << raw("plain_no_time.log") << false << QString() << QString();
    QTest::newRow("plain binary") << S("plain_binary.log") << plain << L(LogLevel::Unknown) << qint64(kReadTime)
                                  << raw("plain_binary.log") << false << QString() << QString();
}

void TstLogParsers::fixtures()
{
    QFETCH(QString, file);
    QFETCH(int, format);
    QFETCH(int, level);
    QFETCH(qint64, timestamp);
    QFETCH(QString, message);
    QFETCH(bool, malformed);
    QFETCH(QString, key);
    QFETCH(QString, value);

    const QByteArray line = fixtureLine(file);
    QVERIFY2(!line.isEmpty(), qPrintable(file));
    const LogRecord record = parseFixture(file, LogFormat(format));
    QCOMPARE(QByteArray::fromStdString(record.raw), line);
    QCOMPARE(record.target, std::string("web"));
    QCOMPARE(record.offset, std::uint64_t(1234));
    QCOMPARE(int(record.level), level);
    QCOMPARE(record.timestampMs, timestamp);
    QCOMPARE(str(record.message), message);
    QCOMPARE(record.malformed, malformed);
    if (!key.isEmpty())
        QCOMPARE(str(record.field(key.toStdString())), value);
}

void TstLogParsers::jsonKeepsStackNewlines()
{
    const LogRecord record = parseFixture(QStringLiteral("json_stack.log"), LogFormat::JsonLines);
    const std::string_view stack = record.field("stack");
    QVERIFY(stack.starts_with("Traceback (most recent call last):\n  File \"/srv/app/handlers.py\", line 42"));
    QVERIFY(stack.ends_with("\nKeyError: 'order'"));
    QCOMPARE(record.field("request_id"), std::string_view("ff00"));
}

void TstLogParsers::jsonDecodesUnicode()
{
    const LogRecord record = parseFixture(QStringLiteral("json_unicode.log"), LogFormat::JsonLines);
    QCOMPARE(record.message, std::string("caf\xC3\xA9 \xF0\x9F\x98\x80 <b>bold</b>"));
}

void TstLogParsers::demoAccessLog()
{
    demo::DemoOptions options;
    options.incidentEveryMs = 60'000;
    demo::DemoSimulator sim(options, kAt);
    std::size_t lines = 0;
    std::set<int> levels;
    for (std::int64_t t = kAt + 500; t <= kAt + 3 * 60'000; t += 500) {
        sim.advanceTo(t);
        for (const std::string &line : sim.takeAccessLogLines()) {
            const LogRecord record = parseNginxCombinedLine(line, {"demo-nginx", t, 0});
            QVERIFY2(!record.malformed, line.c_str());
            QVERIFY2(record.timestampMs <= t && record.timestampMs > t - 1500, line.c_str());
            const char statusClass = record.field("status").front();
            const LogLevel expected = statusClass == '5'   ? LogLevel::Error
                                      : statusClass == '4' ? LogLevel::Warn
                                                           : LogLevel::Info;
            QCOMPARE(record.level, expected);
            QVERIFY(!record.field("user_agent").empty());
            QCOMPARE(record.raw, line);
            levels.insert(int(record.level));
            ++lines;
        }
    }
    QVERIFY(lines > 1000);
    QCOMPARE(levels.size(), std::size_t(3));
}

void TstLogParsers::nginxQuotedBackslashes_data()
{
    QTest::addColumn<QString>("agent");    // as written between the quotes
    QTest::addColumn<bool>("wellFormed"); // the line parses as nginx combined
    QTest::newRow("plain") << QStringLiteral("curl/8.0") << true;
    QTest::newRow("escaped quote") << QStringLiteral(R"(say \"hi\")") << true;
    QTest::newRow("escaped backslash before the end") << QStringLiteral(R"(C:\\)") << true;
    QTest::newRow("three backslashes and a quote") << QStringLiteral(R"(a\\\"b)") << true;
    QTest::newRow("backslash x escape") << QStringLiteral(R"(\x22\x0A)") << true;
    QTest::newRow("unterminated") << QStringLiteral(R"(a\)") << false;
    QTest::newRow("escaped quote at the end") << QStringLiteral(R"(a\")") << true;
}

// Cursor::quoted finds the closing quote with a search, not byte by byte: a '"' closes the string
// unless an odd run of backslashes comes right before it.
void TstLogParsers::nginxQuotedBackslashes()
{
    QFETCH(QString, agent);
    QFETCH(bool, wellFormed);
    const std::string line = R"(10.0.0.1 - - [07/Dec/2026:03:12:00 +0000] "GET /x HTTP/1.1" 200 12 "-" ")" +
                             agent.toStdString() + '"';
    const LogRecord record = parseNginxCombinedLine(line, {"t", kAt, 0});
    QCOMPARE(record.malformed, !wellFormed);
    if (wellFormed)
        QCOMPARE(record.field("user_agent"), std::string_view(agent.toStdString()));
}

void TstLogParsers::demoAppLog()
{
    demo::DemoOptions options;
    options.incidentEveryMs = 60'000;
    demo::DemoSimulator sim(options, kAt);
    std::size_t lines = 0;
    std::size_t stacks = 0;
    std::set<int> levels;
    for (std::int64_t t = kAt + 500; t <= kAt + 5 * 60'000; t += 500) {
        sim.advanceTo(t);
        for (const std::string &line : sim.takeAppLogLines()) {
            const LogRecord record = parseJsonLine(line, {"demo-app", t, 0});
            QVERIFY2(!record.malformed, line.c_str());
            QVERIFY2(record.level != LogLevel::Unknown, line.c_str());
            QVERIFY2(record.timestampMs <= t && record.timestampMs > t - 1500, line.c_str());
            QVERIFY(!record.message.empty());
            QCOMPARE(record.raw, line);
            if (!record.field("stack").empty()) {
                QVERIFY(record.field("stack").find('\n') != std::string_view::npos);
                QVERIFY(!record.field("error").empty());
                ++stacks;
            }
            levels.insert(int(record.level));
            ++lines;
        }
    }
    QVERIFY(lines > 1000);
    QVERIFY(stacks > 0);
    for (LogLevel level : {LogLevel::Debug, LogLevel::Info, LogLevel::Warn, LogLevel::Error})
        QVERIFY2(levels.contains(int(level)), logLevelName(level).data());
}

void TstLogParsers::isoTimes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("expected");
    QTest::addColumn<int>("length");
    QTest::newRow("Z") << QStringLiteral("2026-11-29T09:12:03Z rest") << qint64(kAt) << 20;
    QTest::newRow("millis") << QStringLiteral("2026-11-29T09:12:03.007Z") << qint64(kAt + 7) << 24;
    QTest::newRow("micros") << QStringLiteral("2026-11-29T09:12:03.123456+00:00") << qint64(kAt + 123) << 32;
    QTest::newRow("comma, space") << QStringLiteral("2026-11-29 09:12:03,5") << qint64(kAt + 500) << 21;
    QTest::newRow("+01:00") << QStringLiteral("2026-11-29T10:12:03+01:00") << qint64(kAt) << 25;
    QTest::newRow("-0230") << QStringLiteral("2026-11-29T06:42:03-0230") << qint64(kAt) << 24;
    QTest::newRow("no zone") << QStringLiteral("2026-11-29T09:12:03") << qint64(kAt) << 19;
    QTest::newRow("leap year") << QStringLiteral("2024-02-29T00:00:00Z") << qint64(utc(2024, 2, 29, 0, 0, 0)) << 20;
    QTest::newRow("bad month") << QStringLiteral("2026-13-29T09:12:03Z") << qint64(-1) << 0;
    QTest::newRow("short") << QStringLiteral("2026-11-29T09:12") << qint64(-1) << 0;
    QTest::newRow("letters") << QStringLiteral("20x6-11-29T09:12:03Z") << qint64(-1) << 0;
}

void TstLogParsers::isoTimes()
{
    QFETCH(QString, text);
    QFETCH(qint64, expected);
    QFETCH(int, length);
    const std::string bytes = text.toStdString();
    const auto match = parseIsoTime(bytes);
    if (expected < 0) {
        QVERIFY(!match);
        return;
    }
    QVERIFY(match);
    QCOMPARE(match->ms, expected);
    QCOMPARE(int(match->length), length);
}

void TstLogParsers::bsdSyslogYear()
{
    // A December line read in early January belongs to the previous year.
    const auto december = parseBsdSyslogTime("Dec 31 23:59:59 host", utc(2027, 1, 1, 0, 0, 5));
    QVERIFY(december);
    QCOMPARE(december->ms, utc(2026, 12, 31, 23, 59, 59));
    const auto sameYear = parseBsdSyslogTime("Nov  9 09:12:03", kReadTime);
    QVERIFY(sameYear);
    QCOMPARE(sameYear->ms, utc(2026, 11, 9, 9, 12, 3));
    QVERIFY(!parseBsdSyslogTime("Foo 29 09:12:03", kReadTime));
    QVERIFY(!parseBsdSyslogTime("Nov 29 09:12", kReadTime));
}

void TstLogParsers::epochNumbers()
{
    QCOMPARE(epochNumberToMs(1795943523.5), std::optional<std::int64_t>(kAt + 500));
    QCOMPARE(epochNumberToMs(1795943523500.0), std::optional<std::int64_t>(kAt + 500));
    QCOMPARE(epochNumberToMs(1795943523500000.0), std::optional<std::int64_t>(kAt + 500));
    QVERIFY(!epochNumberToMs(-1.0));
    QVERIFY(!epochNumberToMs(std::numeric_limits<double>::infinity()));
}

void TstLogParsers::levelWords_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("level");
    QTest::newRow("upper") << QStringLiteral("ERROR main: boom") << int(LogLevel::Error);
    QTest::newRow("bracket") << QStringLiteral("[warn] slow") << int(LogLevel::Warn);
    QTest::newRow("logfmt") << QStringLiteral("ts=1 level=debug msg=x") << int(LogLevel::Debug);
    QTest::newRow("prose") << QStringLiteral("an error occurred") << int(LogLevel::Unknown);
    QTest::newRow("WARNING") << QStringLiteral("WARNING: low disk") << int(LogLevel::Warn);
    QTest::newRow("onerror=alert") << QStringLiteral("<img src=x onerror=alert(1)>") << int(LogLevel::Unknown);
    QTest::newRow("too far") << QString(QString(120, QLatin1Char('x')) + QStringLiteral(" ERROR"))
                             << int(LogLevel::Unknown);
}

void TstLogParsers::levelWords()
{
    QFETCH(QString, text);
    QFETCH(int, level);
    QCOMPARE(int(guessLogLevel(text.toStdString())), level);
}

void TstLogParsers::randomBytesNeverLoseALine()
{
    std::mt19937 random(42);
    const std::string seeds[] = {
        "192.0.2.10 - - [29/Nov/2026:09:12:03 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"",
        "{\"ts\":\"2026-11-29T09:12:03Z\",\"level\":\"info\",\"msg\":\"a\\u00e9\",\"n\":[1,{\"x\":2}]}",
        "<165>1 2026-11-29T09:12:03.003Z h a - ID [x a=\"\\]\"] msg",
        "<34>Nov 29 09:12:03 host su[1]: msg",
        "ts=2026-11-29T09:12:03Z level=warn msg=\"cache \\\"miss\\\"\" key=42 flag",
    };
    for (int i = 0; i < 4000; ++i) {
        std::string line = seeds[std::size_t(i) % std::size(seeds)];
        // Mutate: cut, flip bytes, insert control and high bytes.
        const int edits = 1 + int(random() % 4);
        for (int e = 0; e < edits && !line.empty(); ++e) {
            const std::size_t at = random() % line.size();
            switch (random() % 3) {
            case 0:
                line.resize(at);
                break;
            case 1:
                line[at] = char(random() % 256);
                break;
            default:
                line.insert(at, 1, char(random() % 256));
                break;
            }
        }
        for (LogFormat format : {LogFormat::Plain, LogFormat::NginxCombined, LogFormat::JsonLines, LogFormat::Syslog,
                                 LogFormat::Logfmt}) {
            const LogRecord record = parseLogLine(format, line, {"fuzz", kReadTime, 7});
            QCOMPARE(record.raw, line);
            if (record.malformed) {
                QCOMPARE(record.level, LogLevel::Unknown);
                QCOMPARE(record.message, line);
                QCOMPARE(record.timestampMs, kReadTime);
            }
        }
    }
}

void TstLogParsers::implausibleTimesAreFiledByArrival()
{
    // Year 9999 would sort after every real line for ever; 1970 (seconds read as milliseconds, or a
    // zero) before all of them. Both are filed at their read time, their own time kept as a field.
    const LogLineContext context{"app", kReadTime, 0};
    const LogRecord future =
        parseLogLine(LogFormat::JsonLines, R"({"ts":"9999-01-01T00:00:00Z","level":"error","msg":"from the future"})",
                     context);
    QVERIFY(!future.malformed);
    QVERIFY(future.timeReplaced);
    QCOMPARE(future.timestampMs, kReadTime);
    QCOMPARE(future.field("logged_time_ms"), std::string_view("253370764800000"));
    QCOMPARE(future.level, LogLevel::Error);

    const LogRecord ancient =
        parseLogLine(LogFormat::JsonLines, R"({"ts":1,"level":"info","msg":"epoch"})", context);
    QVERIFY(ancient.timeReplaced);
    QCOMPARE(ancient.timestampMs, kReadTime);

    // Five minutes ahead is a clock a little off, not an implausible time: kept as written.
    const LogRecord soon = parseLogLine(
        LogFormat::JsonLines,
        QByteArray(R"({"ts":)" + QByteArray::number(static_cast<double>(kReadTime + 5 * 60'000) / 1000.0, 'f', 3) +
                   R"(,"msg":"soon"})")
            .toStdString(),
        context);
    QVERIFY(!soon.timeReplaced);
    QCOMPARE(soon.timestampMs, kReadTime + 5 * 60'000);
    QVERIFY(soon.field("logged_time_ms").empty());
}

void TstLogParsers::logfmt_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<bool>("malformed");
    QTest::addColumn<qint64>("time");
    QTest::addColumn<QString>("level");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("fields"); // name=value;...
    QTest::newRow("go-kit style") << R"(ts=2026-11-29T09:12:03.250Z level=warn msg="cache miss" key=42 route=/api)" << false
                                  << qint64(1'795'943'523'250) << "warn" << "cache miss" << "key=42;route=/api";
    QTest::newRow("escapes and a flag") << R"(t=1795943523 lvl=error message="a \"quoted\" word\nnext" retry)" << false
                                        << qint64(1'795'943'523'000) << "error" << "a \"quoted\" word\nnext"
                                        << "retry=true";
    QTest::newRow("unknown level stays a field") << "level=loud msg=x" << false << qint64(kReadTime) << "unknown" << "x"
                                                 << "level=loud";
    QTest::newRow("no message: the line") << "a=1 b=2" << false << qint64(kReadTime) << "unknown" << "a=1 b=2"
                                          << "a=1;b=2";
    QTest::newRow("an unterminated quote") << R"(msg="open)" << true << qint64(kReadTime) << "unknown" << R"(msg="open)"
                                           << "";
    QTest::newRow("a quote in a key") << R"(a"b=1)" << true << qint64(kReadTime) << "unknown" << R"(a"b=1)" << "";
    QTest::newRow("empty") << "" << true << qint64(kReadTime) << "unknown" << "" << "";
}

void TstLogParsers::logfmt()
{
    QFETCH(QString, line);
    QFETCH(bool, malformed);
    QFETCH(qint64, time);
    QFETCH(QString, level);
    QFETCH(QString, message);
    QFETCH(QString, fields);
    const std::string text = line.toStdString();
    const LogRecord r = parseLogLine(LogFormat::Logfmt, text, {"app", kReadTime, 0});
    QCOMPARE(r.malformed, malformed);
    QCOMPARE(r.raw, text);
    QCOMPARE(qint64(r.timestampMs), time);
    QCOMPARE(QString::fromLatin1(logLevelName(r.level)), level);
    QCOMPARE(QString::fromStdString(r.message), message);
    QStringList got;
    for (const auto &[k, v] : r.fields)
        got << QString::fromStdString(k + "=" + v);
    QCOMPARE(got.join(QLatin1Char(';')), fields);
}

QTEST_APPLESS_MAIN(TstLogParsers)
#include "tst_log_parsers.moc"
