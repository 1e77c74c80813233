// `pulsectl logs` through the real binary, over a history database whose log table the writer filled:
// filters as the log view's (target, time, level, search), oldest first; text lines whose control
// bytes cannot drive a terminal; JSON lines with numbers as numbers and invalid UTF-8 as U+FFFD;
// exit 2 for bad usage, 1 for a file that is not a history.
#include "storage/sample_writer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace pulse;

namespace {

constexpr std::int64_t kT0 = 1'767'225'600'000; // 2026-01-01T00:00:00Z

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

LogRecord record(const std::string &target, std::int64_t t, LogLevel level, const std::string &raw)
{
    LogRecord r;
    r.target = target;
    r.file = "/var/log/" + target + ".log";
    r.timestampMs = t;
    r.level = level;
    r.raw = raw;
    r.message = raw;
    r.offset = 100;
    return r;
}

} // namespace

class TstPulsectlLogs : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void printsTextOldestFirst();
    void filters_data();
    void filters();
    void printsJsonLines();
    void usageAndErrors_data();
    void usageAndErrors();

private:
    Run logs(const QStringList &args);

    QTemporaryDir m_dir;
    QString m_db;
};

void TstPulsectlLogs::initTestCase()
{
    m_db = m_dir.filePath(QStringLiteral("h.db"));
    auto writer = storage::SampleWriter::open(m_db.toStdString());
    QVERIFY(writer);
    LogBatch batch;
    batch.records.push_back(record("api", kT0 + 2000, LogLevel::Error, "GET /orders 500"));
    batch.records.back().fields = {{"method", "GET"}, {"status", "500"}, {"bytes", "0012"}};
    batch.records.push_back(record("api", kT0, LogLevel::Info, "GET /orders 200"));
    batch.records.push_back(record("edge", kT0 + 1000, LogLevel::Warn, "\x1b]0;owned\x07 evil \x1b[2J"));
    batch.records.push_back(record("edge", kT0 + 3000, LogLevel::Debug, "bad \xff utf-8 \xC2\x9B[2J \xE2\x80\xAE" "evil"));
    batch.records.back().malformed = true;
    (*writer)->append(std::move(batch));
    QVERIFY((*writer)->flush());
}

Run TstPulsectlLogs::logs(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(PULSE_BINARY_DIR "/app/pulsectl"), QStringList{QStringLiteral("logs")} + args);
    Run r;
    if (!p.waitForFinished(30000))
        return r;
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

void TstPulsectlLogs::printsTextOldestFirst()
{
    const Run r = logs({QStringLiteral("--db"), m_db});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("2026-01-01T00:00:00.000Z api info GET /orders 200\n"
                               "2026-01-01T00:00:01.000Z edge warn \\x1b]0;owned\\x07 evil \\x1b[2J\n"
                               "2026-01-01T00:00:02.000Z api error GET /orders 500\n"
                               "2026-01-01T00:00:03.000Z edge debug bad \\xff utf-8 \\u{009b}[2J \\u{202e}evil\n"));
}

void TstPulsectlLogs::filters_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("lines");
    QTest::newRow("one target") << QStringList{QStringLiteral("--target"), QStringLiteral("edge")} << 2;
    QTest::newRow("two targets") << QStringList{QStringLiteral("--target"), QStringLiteral("edge"),
                                                QStringLiteral("--target"), QStringLiteral("api")}
                                 << 4;
    QTest::newRow("warn and above") << QStringList{QStringLiteral("--level"), QStringLiteral("warn")} << 2;
    QTest::newRow("a substring, any case") << QStringList{QStringLiteral("--search"), QStringLiteral("ORDERS")} << 2;
    QTest::newRow("a regex") << QStringList{QStringLiteral("--search"), QStringLiteral("/ 5\\d\\d$/")} << 1;
    QTest::newRow("a time range, RFC 3339 and seconds")
        << QStringList{QStringLiteral("--start"), QStringLiteral("2026-01-01T00:00:01Z"), QStringLiteral("--end"),
                       QStringLiteral("1767225603")}
        << 2;
    QTest::newRow("since: these are older") << QStringList{QStringLiteral("--since"), QStringLiteral("1h")} << 0;
}

void TstPulsectlLogs::filters()
{
    QFETCH(QStringList, args);
    QFETCH(int, lines);
    const Run r = logs(QStringList{QStringLiteral("--db"), m_db} + args);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out.count('\n'), lines);
}

void TstPulsectlLogs::printsJsonLines()
{
    const Run r = logs({QStringLiteral("--db"), m_db, QStringLiteral("--json"), QStringLiteral("--target"),
                        QStringLiteral("api"), QStringLiteral("--level"), QStringLiteral("error")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray(R"({"time":"2026-01-01T00:00:02.000Z","target":"api","file":"/var/log/api.log",)"
                               R"("offset":100,"level":"error","message":"GET /orders 500",)"
                               R"("fields":{"method":"GET","status":500,"bytes":"0012"},"raw":"GET /orders 500"})"
                               "\n"));
    const Run bad = logs({QStringLiteral("--db"), m_db, QStringLiteral("--json"), QStringLiteral("--level"),
                          QStringLiteral("debug"), QStringLiteral("--search"), QStringLiteral("utf-8")});
    QCOMPARE(bad.exitCode, 0);
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(bad.out, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, bad.out.constData());
    QVERIFY(doc.object().value(QStringLiteral("raw")).toString().startsWith(QStringLiteral("bad \uFFFD utf-8 \u009B")));
}

void TstPulsectlLogs::usageAndErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("error");
    QTest::newRow("no db") << QStringList{} << 2 << "pulsectl logs: --db is required";
    QTest::newRow("bad level") << QStringList{QStringLiteral("--db"), QStringLiteral("x"), QStringLiteral("--level"),
                                              QStringLiteral("loud")}
                               << 2 << "pulsectl logs: unknown level 'loud' (trace, debug, info, warn, error, fatal)";
    QTest::newRow("both ranges") << QStringList{QStringLiteral("--db"), QStringLiteral("x"), QStringLiteral("--since"),
                                                QStringLiteral("1h"), QStringLiteral("--start"), QStringLiteral("1")}
                                 << 2 << "pulsectl logs: use --since or --start/--end, not both";
    QTest::newRow("missing file") << QStringList{QStringLiteral("--db"), QStringLiteral("/nonexistent/h.db")} << 1
                                  << "pulsectl logs: '/nonexistent/h.db' does not exist";
}

void TstPulsectlLogs::usageAndErrors()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, error);
    const Run r = logs(args);
    QCOMPARE(r.exitCode, exitCode);
    QCOMPARE(QString::fromUtf8(r.err).split(QLatin1Char('\n')).first(), error);
    QVERIFY(r.out.isEmpty());
}

QTEST_GUILESS_MAIN(TstPulsectlLogs)
#include "tst_pulsectl_logs.moc"
