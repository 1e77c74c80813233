// A log target across restarts (collectors/log_collector.h into storage/sample_writer.h): lines
// written while Pulseboard was closed are read at the next start, none twice; a run that died
// before its commit is read again from the last committed position; a new file starts where its
// target's start_at says.
#include "collectors/log_collector.h"
#include "storage/sample_writer.h"
#include "storage/sqlite_log_reader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pulse;
using namespace pulse::storage;

namespace {

bool appendTo(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::Append) && f.write(bytes) == bytes.size();
}

QByteArray lines(int from, int to)
{
    QByteArray out;
    for (int i = from; i <= to; ++i)
        out += "line " + QByteArray::number(i) + "\n";
    return out;
}

TargetConfig logTarget(const QString &path, bool fromBeginning)
{
    LogOptions log;
    log.path = path.toStdString();
    log.startAtBeginning = fromBeginning;
    TargetConfig t{log};
    t.name = "app";
    return t;
}

/// LostSink stands for a process killed before its commit: what it is handed is never stored.
class LostSink final : public LogSink {
public:
    void append(LogBatch batch) override { records += static_cast<int>(batch.records.size()); }
    std::atomic<int> records{0};
};

} // namespace

class TstLogResume : public QObject {
    Q_OBJECT
private slots:
    void init();
    void resumesWhereTheStoredRecordsEnd();
    void aNewFileStartsAtItsEndUnlessToldOtherwise();

private:
    // runUntil tails with a writer on the history file until it has committed `records` more.
    void runUntil(const TargetConfig &target, std::uint64_t records);
    std::vector<std::string> stored();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_log;
    std::string m_db;
    SystemClock m_clock;
};

void TstLogResume::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_log = m_dir->filePath(QStringLiteral("app.log"));
    m_db = m_dir->filePath(QStringLiteral("h.db")).toStdString();
}

void TstLogResume::runUntil(const TargetConfig &target, std::uint64_t records)
{
    auto writer = SampleWriter::open(m_db);
    QVERIFY(writer);
    LogCollector collector(**writer, m_clock);
    collector.start({target}, (*writer)->savedLogCheckpoints());
    QTRY_COMPARE_WITH_TIMEOUT((*writer)->status().committedLogRecords, records, 10000);
    collector.stop();
}

std::vector<std::string> TstLogResume::stored()
{
    auto reader = SqliteLogReader::open(m_db);
    if (!reader)
        return {reader.error().message};
    LogQuery all;
    all.limit = 0;
    auto records = (*reader)->query(all);
    std::vector<std::string> out;
    for (const auto &r : records ? *records : std::vector<LogRecord>{})
        out.push_back(r.raw);
    return out;
}

void TstLogResume::resumesWhereTheStoredRecordsEnd()
{
    QVERIFY(appendTo(m_log, lines(1, 10)));
    const TargetConfig target = logTarget(m_log, true);
    runUntil(target, 10);
    QVERIFY(appendTo(m_log, lines(11, 20))); // while closed
    runUntil(target, 10);
    // A run that reads 21..30 and dies before committing them: its positions die with it.
    QVERIFY(appendTo(m_log, lines(21, 30)));
    {
        auto writer = SampleWriter::open(m_db);
        QVERIFY(writer);
        const auto saved = (*writer)->savedLogCheckpoints();
        writer->reset();
        LostSink lost;
        LogCollector collector(lost, m_clock);
        collector.start({target}, saved);
        QTRY_COMPARE_WITH_TIMEOUT(lost.records.load(), 10, 10000);
        collector.stop();
    }
    runUntil(target, 10); // read again, from the last committed position
    std::vector<std::string> expected;
    for (int i = 1; i <= 30; ++i)
        expected.push_back("line " + std::to_string(i));
    QCOMPARE(stored(), expected);
}

void TstLogResume::aNewFileStartsAtItsEndUnlessToldOtherwise()
{
    QVERIFY(appendTo(m_log, lines(1, 5)));
    {
        // start_at: end (the default): the five lines already there are not read; new ones are.
        auto writer = SampleWriter::open(m_db);
        QVERIFY(writer);
        LogCollector collector(**writer, m_clock);
        std::atomic<int> polls{0};
        collector.setStatusCallback([&](const TargetStatus &) { ++polls; });
        collector.start({logTarget(m_log, false)}, (*writer)->savedLogCheckpoints());
        QTRY_VERIFY_WITH_TIMEOUT(polls.load() >= 1, 10000); // it has found the file's end
        QVERIFY(appendTo(m_log, lines(6, 7)));
        QTRY_COMPARE_WITH_TIMEOUT((*writer)->status().committedLogRecords, std::uint64_t{2}, 10000);
        collector.stop();
    }
    QCOMPARE(stored(), (std::vector<std::string>{"line 6", "line 7"}));
}

QTEST_GUILESS_MAIN(TstLogResume)
#include "tst_log_resume.moc"
