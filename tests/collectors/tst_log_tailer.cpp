// LogTailer against real files in a temporary directory: appends, partial lines, saved positions,
// rotation by rename + create, copytruncate, deletion, permission errors, over-long lines, batch
// bounds. Time comes from a ManualClock; nothing sleeps.
#include "log_test_files.h"
#include "collectors/log_collector.h"
#include "collectors/log_tailer.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>

using namespace pulse;
using pulse::test::appendTo;
using pulse::test::raws;

namespace {

constexpr std::int64_t kNow = 1'795'943'523'000;

bool truncateTo(const QString &path, qint64 size)
{
    QFile file(path);
    return file.resize(size);
}

std::vector<std::string> lines(std::initializer_list<const char *> texts)
{
    return std::vector<std::string>(texts.begin(), texts.end());
}

} // namespace

class TstLogTailer : public QObject {
    Q_OBJECT
private slots:
    void init();
    void appendsAndHoldsPartialLines();
    void stampsWithClockAndParses();
    void resumesFromSavedPosition();
    void savedPositionOfAnotherFileStartsAtZero();
    void startAtEndSkipsHistory();
    void aStalePartialLineIsTakenAfterAWhile();
    void rotationByRenameAndCreate();
    void copyTruncate();
    void truncatedAndRefilledBeyondOffset();
    void deletedFile();
    void missingFileThenCreated();
    void permissionDenied();
    void directoryIsNotAFile();
    void hugeLineIsTruncated();
    void hugeLineAcrossPolls();
    void batchIsBounded();
    void collectorPollsOnItsOwnThread();
    void collectorCountsLinesAsSeries();
    void collectorWakesOnFileChanges();

private:
    LogTailerOptions options(LogFormat format = LogFormat::Plain) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    ManualClock m_clock{kNow};
};

void TstLogTailer::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("app.log"));
    m_clock.set(kNow);
}

LogTailerOptions TstLogTailer::options(LogFormat format) const
{
    LogTailerOptions o;
    o.path = m_path.toStdString();
    o.target = "app";
    o.parser = LogLineParser(format);
    return o;
}

void TstLogTailer::appendsAndHoldsPartialLines()
{
    QVERIFY(appendTo(m_path, "first\nsec"));
    LogTailer tailer(options(), m_clock);
    auto batch = tailer.poll();
    QVERIFY(batch);
    QCOMPARE(raws(*batch), lines({"first"}));
    QCOMPARE(tailer.position().offset, std::uint64_t(6));
    QCOMPARE(tailer.state(), TailState::Following);

    QVERIFY(tailer.poll()->empty());
    QVERIFY(appendTo(m_path, "ond\r\nthird\n"));
    batch = tailer.poll();
    QVERIFY(batch);
    QCOMPARE(raws(*batch), lines({"second", "third"}));
    QCOMPARE((*batch)[0].offset, std::uint64_t(6));
    QCOMPARE((*batch)[1].offset, std::uint64_t(14));
    QCOMPARE(tailer.position().offset, std::uint64_t(20));
    QCOMPARE(tailer.rotations(), std::uint64_t(0));
}

void TstLogTailer::stampsWithClockAndParses()
{
    QVERIFY(appendTo(m_path, "no time here\n{\"ts\":\"2026-11-29T09:12:03.000Z\",\"level\":\"warn\",\"msg\":\"m\"}\n"));
    m_clock.set(kNow + 42);
    LogTailer tailer(options(LogFormat::JsonLines), m_clock);
    const auto batch = tailer.poll();
    QVERIFY(batch);
    QCOMPARE(batch->size(), std::size_t(2));
    QCOMPARE((*batch)[0].timestampMs, kNow + 42);
    QVERIFY((*batch)[0].malformed);
    QCOMPARE((*batch)[1].timestampMs, kNow);
    QCOMPARE((*batch)[1].level, LogLevel::Warn);
    QCOMPARE((*batch)[1].target, std::string("app"));
}

void TstLogTailer::resumesFromSavedPosition()
{
    QVERIFY(appendTo(m_path, "one\ntwo\n"));
    TailPosition saved;
    {
        LogTailer tailer(options(), m_clock);
        QCOMPARE(tailer.poll()->size(), std::size_t(2));
        saved = tailer.position();
    }
    QCOMPARE(saved.offset, std::uint64_t(8));
    QCOMPARE(saved.firstLineLength, std::uint32_t(4));
    QVERIFY(appendTo(m_path, "three\n"));
    LogTailer resumed(options(), m_clock, saved);
    const auto batch = resumed.poll();
    QVERIFY(batch);
    QCOMPARE(raws(*batch), lines({"three"}));
}

void TstLogTailer::savedPositionOfAnotherFileStartsAtZero()
{
    QVERIFY(appendTo(m_path, "one\ntwo\n"));
    LogTailer first(options(), m_clock);
    QVERIFY(first.poll());
    TailPosition saved = first.position();
    saved.firstLineHash ^= 1; // as if the file had been replaced by one of the same inode
    LogTailer resumed(options(), m_clock, saved);
    QCOMPARE(raws(*resumed.poll()), lines({"one", "two"}));
}

void TstLogTailer::startAtEndSkipsHistory()
{
    QVERIFY(appendTo(m_path, "old\n"));
    LogTailerOptions o = options();
    o.startAtEnd = true;
    LogTailer tailer(o, m_clock);
    QVERIFY(tailer.poll()->empty());
    QVERIFY(appendTo(m_path, "new\n"));
    QCOMPARE(raws(*tailer.poll()), lines({"new"}));

    // A file that is not there yet is new when it appears: read from its start.
    LogTailerOptions later = options();
    later.path = m_path.toStdString() + ".later";
    later.startAtEnd = true;
    LogTailer waiting(later, m_clock);
    QVERIFY(!waiting.poll());
    QVERIFY(appendTo(QString::fromStdString(later.path), "first\nsecond\n"));
    QCOMPARE(raws(*waiting.poll()), lines({"first", "second"}));
}

void TstLogTailer::aStalePartialLineIsTakenAfterAWhile()
{
    // A last line without its newline waits while it grows; once it has not grown for
    // partialLineFlushMs it is a line, and what comes after it starts a new one.
    LogTailer tailer(options(), m_clock);
    QVERIFY(appendTo(m_path, "whole\npart"));
    QCOMPARE(raws(*tailer.poll()), lines({"whole"}));
    m_clock.advance(4000);
    QVERIFY(tailer.poll()->empty());
    QVERIFY(appendTo(m_path, "ial"));
    m_clock.advance(4000);
    QVERIFY(tailer.poll()->empty()); // it grew: the wait starts again
    m_clock.advance(4999);
    QVERIFY(tailer.poll()->empty());
    m_clock.advance(1);
    const auto taken = tailer.poll();
    QCOMPARE(raws(*taken), lines({"partial"}));
    QCOMPARE(tailer.position().offset, std::uint64_t(13)); // after it: a restart does not read it again
    QVERIFY(appendTo(m_path, " more\nnext\n"));
    QCOMPARE(raws(*tailer.poll()), lines({" more", "next"}));
}

void TstLogTailer::rotationByRenameAndCreate()
{
    QVERIFY(appendTo(m_path, "old1\nold2\n"));
    LogTailer tailer(options(), m_clock);
    QCOMPARE(tailer.poll()->size(), std::size_t(2));
    const std::uint64_t oldInode = tailer.position().inode;

    // The writer appends, logrotate renames, the writer finishes its line and reopens.
    QVERIFY(appendTo(m_path, "old3\nold4 unfinished"));
    QVERIFY(QFile::rename(m_path, m_path + QStringLiteral(".1")));
    QVERIFY(appendTo(m_path + QStringLiteral(".1"), " but finished\n"));
    QVERIFY(appendTo(m_path, "new1\nnew2\n"));

    const auto batch = tailer.poll();
    QVERIFY(batch);
    QCOMPARE(raws(*batch), lines({"old3", "old4 unfinished but finished", "new1", "new2"}));
    QCOMPARE((*batch)[2].offset, std::uint64_t(0));
    QCOMPARE(tailer.rotations(), std::uint64_t(1));
    QCOMPARE(tailer.state(), TailState::Following);
    QVERIFY(tailer.position().inode != oldInode);
    QCOMPARE(tailer.position().offset, std::uint64_t(10));
}

void TstLogTailer::copyTruncate()
{
    QVERIFY(appendTo(m_path, "line one\nline two\n"));
    LogTailer tailer(options(), m_clock);
    QCOMPARE(tailer.poll()->size(), std::size_t(2));
    QVERIFY(truncateTo(m_path, 0));
    QVERIFY(appendTo(m_path, "fresh\n"));
    const auto batch = tailer.poll();
    QVERIFY(batch);
    QCOMPARE(raws(*batch), lines({"fresh"}));
    QCOMPARE(tailer.rotations(), std::uint64_t(1));
}

void TstLogTailer::truncatedAndRefilledBeyondOffset()
{
    QVERIFY(appendTo(m_path, "a\nb\n"));
    LogTailer tailer(options(), m_clock);
    QCOMPARE(tailer.poll()->size(), std::size_t(2));
    // Truncated and refilled past the old offset between two polls: only the first line tells.
    QVERIFY(truncateTo(m_path, 0));
    QVERIFY(appendTo(m_path, "different first line\nsecond\n"));
    const auto batch = tailer.poll();
    QVERIFY(batch);
    QCOMPARE(raws(*batch), lines({"different first line", "second"}));
}

void TstLogTailer::deletedFile()
{
    QVERIFY(appendTo(m_path, "kept\n"));
    LogTailer tailer(options(), m_clock);
    QCOMPARE(tailer.poll()->size(), std::size_t(1));
    QVERIFY(appendTo(m_path, "last words\n"));
    QVERIFY(QFile::remove(m_path));

    auto batch = tailer.poll();
    QVERIFY(batch);
    QCOMPARE(raws(*batch), lines({"last words"}));
    QCOMPARE(tailer.state(), TailState::Waiting);

    batch = tailer.poll();
    QVERIFY(!batch);
    QCOMPARE(tailer.errorKind(), TailErrorKind::NotFound);

    QVERIFY(appendTo(m_path, "reborn\n"));
    batch = tailer.poll();
    QVERIFY(batch);
    QCOMPARE(raws(*batch), lines({"reborn"}));
}

void TstLogTailer::missingFileThenCreated()
{
    LogTailer tailer(options(), m_clock);
    const auto missing = tailer.poll();
    QVERIFY(!missing);
    QCOMPARE(tailer.errorKind(), TailErrorKind::NotFound);
    QVERIFY(QString::fromStdString(missing.error().message).contains(m_path));
    QVERIFY(appendTo(m_path, "hello\n"));
    QCOMPARE(raws(*tailer.poll()), lines({"hello"}));
}

void TstLogTailer::permissionDenied()
{
    if (::geteuid() == 0)
        QSKIP("root reads files regardless of their mode");
    QVERIFY(appendTo(m_path, "secret\n"));
    QVERIFY(::chmod(m_path.toLocal8Bit().constData(), 0) == 0);
    LogTailer tailer(options(), m_clock);
    const auto denied = tailer.poll();
    QVERIFY(!denied);
    QCOMPARE(tailer.errorKind(), TailErrorKind::PermissionDenied);
    QVERIFY2(QString::fromStdString(denied.error().message).contains(QStringLiteral("permission denied")),
             denied.error().message.c_str());
    QVERIFY(::chmod(m_path.toLocal8Bit().constData(), 0644) == 0);
    QCOMPARE(raws(*tailer.poll()), lines({"secret"}));
}

void TstLogTailer::directoryIsNotAFile()
{
    QVERIFY(QDir(m_dir->path()).mkdir(QStringLiteral("app.log")));
    LogTailer tailer(options(), m_clock);
    QVERIFY(!tailer.poll());
    QCOMPARE(tailer.errorKind(), TailErrorKind::NotRegularFile);
}

void TstLogTailer::hugeLineIsTruncated()
{
    LogTailerOptions o = options();
    o.maxLineBytes = 1024;
    QVERIFY(appendTo(m_path, QByteArray(5000, 'x') + "\n" + QByteArray(1024, 'y') + "\nshort\n"));
    LogTailer tailer(o, m_clock);
    const auto batch = tailer.poll();
    QVERIFY(batch);
    QCOMPARE(batch->size(), std::size_t(3));
    QCOMPARE((*batch)[0].raw, std::string(1024, 'x'));
    QVERIFY((*batch)[0].truncated);
    QCOMPARE((*batch)[1].raw, std::string(1024, 'y'));
    QVERIFY(!(*batch)[1].truncated);
    QCOMPARE((*batch)[2].raw, std::string("short"));
    QCOMPARE((*batch)[2].offset, std::uint64_t(5001 + 1025));
    QCOMPARE(tailer.truncatedLines(), std::uint64_t(1));
}

void TstLogTailer::hugeLineAcrossPolls()
{
    LogTailerOptions o = options();
    o.maxLineBytes = 1000;
    LogTailer tailer(o, m_clock);
    QVERIFY(appendTo(m_path, QByteArray(800, 'a')));
    QVERIFY(tailer.poll()->empty());
    QVERIFY(appendTo(m_path, QByteArray(800, 'a')));
    const auto cut = tailer.poll();
    QCOMPARE(cut->size(), std::size_t(1));
    QVERIFY(cut->front().truncated);
    // Until the newline comes, the saved position stays at the cut line's start.
    QCOMPARE(tailer.position().offset, std::uint64_t(0));
    QVERIFY(appendTo(m_path, QByteArray(5000, 'a') + "\nafter\n"));
    QCOMPARE(raws(*tailer.poll()), lines({"after"}));
    QCOMPARE(tailer.position().offset, std::uint64_t(6607));
}

void TstLogTailer::batchIsBounded()
{
    LogTailerOptions o = options();
    o.maxBatchLines = 10;
    QByteArray text;
    for (int i = 0; i < 25; ++i)
        text += "line " + QByteArray::number(i) + '\n';
    QVERIFY(appendTo(m_path, text));
    LogTailer tailer(o, m_clock);
    auto batch = tailer.poll();
    QCOMPARE(batch->size(), std::size_t(10));
    QVERIFY(tailer.hasMore());
    QCOMPARE(tailer.poll()->front().raw, std::string("line 10"));
    batch = tailer.poll();
    QCOMPARE(batch->size(), std::size_t(5));
    QCOMPARE(batch->back().raw, std::string("line 24"));
    QVERIFY(!tailer.hasMore());

    LogTailerOptions bytes = options();
    bytes.maxBatchBytes = 16;
    LogTailer small(bytes, m_clock);
    QCOMPARE(raws(*small.poll()), lines({"line 0", "line 1"}));
    QVERIFY(small.hasMore());
}

void TstLogTailer::collectorPollsOnItsOwnThread()
{
    // Reads and stats of log files run on the collector's own thread, never on the I/O threads that
    // scrape (a hung network mount must not stall every target) and never on the caller's.
    struct Sink : LogSink {
        std::atomic<int> records{0};
        void append(LogBatch batch) override { records += static_cast<int>(batch.records.size()); }
    } sink;
    QVERIFY(appendTo(m_path, "old line\n"));
    SystemClock clock;
    LogCollector collector(sink, clock);
    std::mutex mutex;
    std::vector<std::string> threads;
    collector.setStatusCallback([&](const TargetStatus &) {
        char name[16] = {};
        pthread_getname_np(pthread_self(), name, sizeof name);
        std::lock_guard lock(mutex);
        threads.emplace_back(name);
    });
    LogOptions log;
    log.path = m_path.toStdString();
    TargetConfig t{log};
    t.name = "app";
    collector.start({t});
    QTRY_VERIFY_WITH_TIMEOUT([&] { std::lock_guard lock(mutex); return !threads.empty(); }(), 5000);
    QVERIFY(appendTo(m_path, "new line\n"));
    QTRY_COMPARE_WITH_TIMEOUT(sink.records.load(), 1, 5000); // new lines only, as tail -f
    collector.stop();
    std::lock_guard lock(mutex);
    for (const std::string &name : threads)
        QCOMPARE(QString::fromStdString(name), QString::fromLatin1(LogCollector::kThreadName));
}

void TstLogTailer::collectorCountsLinesAsSeries()
{
    // Every poll hands the metrics sink the target's counters as they stand: lines by level, and for
    // an access log requests by method and status class, bytes, and suspicious requests.
    struct Lines : LogSink {
        void append(LogBatch) override {}
    } lines;
    struct Metrics : SampleSink {
        std::mutex mutex;
        std::map<std::string, double> latest;
        void append(MetricBatch batch) override
        {
            std::lock_guard lock(mutex);
            for (const Sample &s : batch.samples)
                latest[s.metric + s.labels.toString()] = s.value;
        }
        double value(const std::string &key)
        {
            std::lock_guard lock(mutex);
            auto it = latest.find(key);
            return it == latest.end() ? -1 : it->second;
        }
    } metrics;
    QVERIFY(appendTo(m_path, R"(10.0.0.1 - - [07/Dec/2026:03:12:00 +0000] "GET /a HTTP/1.1" 200 10 "-" "curl")" "\n"
                             R"(10.0.0.2 - - [07/Dec/2026:03:12:01 +0000] "GET /../../etc/passwd HTTP/1.1" 404 5 "-" "curl")" "\n"));
    SystemClock clock;
    LogCollector collector(lines, clock, &metrics);
    LogOptions log;
    log.path = m_path.toStdString();
    log.format = LogFormat::NginxCombined;
    log.startAtBeginning = true;
    log.metrics = {LogMetricRule{"edge_passwd_probes_total", "etc/passwd", "", LogMetricType::Counter, {}, {}}};
    TargetConfig t{log};
    t.name = "edge";
    collector.start({t});
    QTRY_COMPARE_WITH_TIMEOUT(metrics.value(R"(http_response_bytes_total{target="edge"})"), 15.0, 5000);
    QCOMPARE(metrics.value(R"(log_lines_total{level="info",target="edge"})"), 1.0);
    QCOMPARE(metrics.value(R"(log_lines_total{level="warn",target="edge"})"), 1.0);
    QCOMPARE(metrics.value(R"(http_requests_total{method="GET",status_class="4xx",target="edge"})"), 1.0);
    QCOMPARE(metrics.value(R"(log_suspicious_requests_total{kind="traversal",target="edge"})"), 1.0);
    QCOMPARE(metrics.value(R"(edge_passwd_probes_total{target="edge"})"), 1.0); // the target's own rule
    collector.stop();
}

void TstLogTailer::collectorWakesOnFileChanges()
{
    // With polling an hour apart, only inotify can bring the lines: a file created after the start,
    // then a line appended to it, then a file renamed into place under the target's glob.
    struct Sink : LogSink {
        std::mutex mutex;
        std::vector<std::string> raws;
        void append(LogBatch batch) override
        {
            std::lock_guard lock(mutex);
            for (const LogRecord &r : batch.records)
                raws.push_back(r.raw);
        }
        std::size_t size()
        {
            std::lock_guard lock(mutex);
            return raws.size();
        }
    } sink;
    SystemClock clock;
    LogCollector collector(sink, clock);
    collector.setPollInterval(std::chrono::hours(1));
    LogOptions log;
    log.path = m_dir->filePath(QStringLiteral("*.log")).toStdString();
    log.multiline = false;
    TargetConfig t{log};
    t.name = "app";
    std::atomic<int> polls{0};
    collector.setStatusCallback([&](const TargetStatus &) { ++polls; });
    collector.start({t});
    QTRY_VERIFY_WITH_TIMEOUT(polls > 0, 5000); // the first poll: nothing matches yet
    QVERIFY(appendTo(m_path, "first\n"));
    QTRY_COMPARE_WITH_TIMEOUT(sink.size(), std::size_t{1}, 10000);
    QVERIFY(appendTo(m_path, "second\n"));
    QTRY_COMPARE_WITH_TIMEOUT(sink.size(), std::size_t{2}, 10000);
    const QString staged = m_dir->filePath(QStringLiteral("staged.tmp"));
    QVERIFY(appendTo(staged, "moved in\n"));
    QVERIFY(QFile::rename(staged, m_dir->filePath(QStringLiteral("b.log"))));
    QTRY_COMPARE_WITH_TIMEOUT(sink.size(), std::size_t{3}, 10000);
    collector.stop();
    std::lock_guard lock(sink.mutex);
    QCOMPARE(sink.raws, (std::vector<std::string>{"first", "second", "moved in"}));
}

QTEST_GUILESS_MAIN(TstLogTailer)
#include "tst_log_tailer.moc"
