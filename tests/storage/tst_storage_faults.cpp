// Faults: SIGKILL in the middle of heavy ingest, and a full disk that later gets space back.
#include "storage/sample_writer.h"
#include "storage/sqlite_history.h"

#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <poll.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace pulse;
using namespace pulse::storage;

namespace {

constexpr std::int64_t kT0 = 1'699'999'200'000;

MetricBatch batchAt(std::int64_t ts, int series)
{
    MetricBatch b;
    for (int i = 0; i < series; ++i)
        b.samples.push_back(
            Sample{"load", Labels({{"cpu", std::to_string(i)}}), ts, static_cast<double>(ts % 977) / 7});
    return b;
}

std::uint64_t storedSamples(const std::string &path)
{
    auto history = SqliteHistory::open(path);
    if (!history)
        qFatal("%s", history.error().message.c_str());
    auto all = (*history)->select(std::vector<LabelMatcher>{{"__name__", LabelMatcher::Op::Equal, "load"}}, INT64_MIN,
                                  INT64_MAX);
    if (!all)
        qFatal("%s", all.error().message.c_str());
    std::uint64_t n = 0;
    for (const SeriesData &s : *all)
        n += s.values.size();
    return n;
}

std::string integrityCheck(const std::string &path)
{
    auto db = SqliteDb::open(path);
    if (!db)
        return db.error().message;
    auto check = db->prepare("PRAGMA integrity_check");
    if (!check)
        return check.error().message;
    auto row = check->step();
    if (!row || !*row)
        return "no answer";
    return std::string(check->columnText(0));
}

} // namespace

class TestStorageFaults : public QObject {
    Q_OBJECT
private slots:
    void sigkillDuringIngestLosesAtMostTheLastBatch()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        int fds[2];
        QCOMPARE(pipe(fds), 0);
        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            close(fds[0]);
            SampleWriterOptions options;
            options.flushInterval = std::chrono::milliseconds(20);
            options.queueCapacity = 50'000;
            options.onCommit = [fd = fds[1]](const WriterStatus &s) {
                if (s.ok)
                    (void)!write(fd, &s.committedSamples, sizeof s.committedSamples);
            };
            auto writer = SampleWriter::open(path, options);
            if (!writer)
                _exit(3);
            for (std::int64_t t = kT0;; t += 1000)
                (*writer)->appendWait(batchAt(t, 200));
        }
        close(fds[1]);
        std::uint64_t committed = 0;
        int commits = 0;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 3000 && (commits < 10 || committed < 200'000)) {
            pollfd p{fds[0], POLLIN, 0};
            if (poll(&p, 1, 1000) <= 0)
                break;
            std::uint64_t n = 0;
            if (read(fds[0], &n, sizeof n) != sizeof n)
                break;
            committed = std::max(committed, n);
            ++commits;
        }
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        // Commits reported after our last read may also have landed; drain them.
        std::uint64_t n = 0;
        while (read(fds[0], &n, sizeof n) == sizeof n)
            committed = std::max(committed, n);
        close(fds[0]);
        QVERIFY(WIFSIGNALED(status));
        QVERIFY2(committed > 0, "the child never committed");

        QCOMPARE(integrityCheck(path), std::string("ok"));
        const std::uint64_t stored = storedSamples(path);
        QVERIFY2(stored >= committed, (std::to_string(stored) + " < " + std::to_string(committed)).c_str());
        // And the writer resumes on the same file.
        auto writer = SampleWriter::open(path);
        QVERIFY2(writer, writer ? "" : writer.error().message.c_str());
        (*writer)->appendWait(batchAt(kT0 + 1'000'000'000, 200));
        QVERIFY((*writer)->flush());
        QCOMPARE(storedSamples(path), stored + 200);
    }

    void fullDiskIsAStatusErrorAndRecovers()
    {
        QTemporaryDir dir;
        const QByteArray mountPoint = dir.path().toLocal8Bit();
        if (geteuid() != 0 || mount("tmpfs", mountPoint.constData(), "tmpfs", 0, "size=512k") != 0)
            QSKIP("needs root to mount a small tmpfs");
        struct Unmount {
            QByteArray at;
            ~Unmount() { umount2(at.constData(), MNT_DETACH); }
        } unmount{mountPoint};
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        SampleWriterOptions options;
        options.flushInterval = std::chrono::milliseconds(10);
        auto opened = SampleWriter::open(path, options);
        QVERIFY2(opened, opened ? "" : opened.error().message.c_str());
        SampleWriter &writer = **opened;
        std::uint64_t sent = 0;
        std::int64_t t = kT0;
        bool full = false;
        for (int i = 0; i < 20'000 && !full; ++i, t += 1000) {
            // Fractional random values do not compress: the disk fills quickly.
            MetricBatch b;
            for (int s = 0; s < 100; ++s)
                b.samples.push_back(Sample{"load", Labels({{"cpu", std::to_string(s)}}), t,
                                           static_cast<double>((static_cast<std::uint64_t>(t) * 2654435761u + static_cast<std::uint64_t>(s) * 40503u) % 1000003) / 7.3});
            sent += b.samples.size();
            writer.appendWait(std::move(b));
            if (i % 50 == 49)
                full = !writer.flush();
        }
        QVERIFY2(full, "the 512 KiB file system never filled up");
        const WriterStatus status = writer.status();
        QVERIFY(!status.ok);
        QVERIFY2(status.error.find("full") != std::string::npos, status.error.c_str());
        // Collection continues meanwhile, and nothing was lost once space returns.
        writer.appendWait(batchAt(t, 100));
        sent += 100;
        QCOMPARE(mount("tmpfs", mountPoint.constData(), "tmpfs", MS_REMOUNT, "size=64m"), 0);
        QVERIFY(writer.flush());
        QVERIFY(writer.status().ok);
        QCOMPARE(writer.status().committedSamples, sent);
        QCOMPARE(storedSamples(path), sent);
        QCOMPARE(integrityCheck(path), std::string("ok"));
    }
};

QTEST_APPLESS_MAIN(TestStorageFaults)
#include "tst_storage_faults.moc"
