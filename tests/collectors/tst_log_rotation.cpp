// Rotation under load and the files of a glob: a writer thread appends numbered lines while the file
// is rotated (100 renames; copytruncate with a writer that does not use O_APPEND; a swapped symlink),
// and every line must arrive exactly once and in order. LogTargetTail: globs pick up new files, a
// renamed file is not read twice, two rotations between polls lose nothing, a checkpoint follows its
// file under a new name. The stress cases poll as fast as they can on the wall clock; the others
// step a ManualClock.
#include "log_test_files.h"
#include "collectors/log_tailer.h"
#include "collectors/log_target_tail.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

using namespace pulse;
using pulse::test::appendTo;
using pulse::test::raws;

namespace {

constexpr std::int64_t kNow = 1'795'943'523'000;

std::string numbered(int n)
{
    return "line " + std::to_string(n);
}

/// inOrderOnce checks that got is exactly "line 0" .. "line n-1".
bool inOrderOnce(const std::vector<std::string> &got, int n, QString &why)
{
    if (int(got.size()) != n)
        why = QStringLiteral("%1 lines, expected %2").arg(got.size()).arg(n);
    for (int i = 0; i < std::min<int>(n, int(got.size())); ++i) {
        if (got[std::size_t(i)] != numbered(i)) {
            why += QStringLiteral("; line %1 is '%2'").arg(i).arg(QString::fromStdString(got[std::size_t(i)]));
            return false;
        }
    }
    return why.isEmpty();
}

std::uint64_t inodeOf(const QString &path)
{
    struct stat info {};
    return ::stat(QFile::encodeName(path).constData(), &info) == 0 ? std::uint64_t(info.st_ino) : 0;
}

} // namespace

class TstLogRotation : public QObject {
    Q_OBJECT
private slots:
    void init();
    void hundredRenameRotationsWhileWriting();
    void copytruncateWithAWriterWithoutAppend();
    void symlinkSwappedToAnotherFile();
    void truncatedToAShorterLine();
    void globPicksUpNewFiles();
    void globDoesNotReadARenamedFileTwice();
    void twoRotationsBetweenPollsWithAGlob();
    void checkpointFollowsItsFileUnderANewName();
    void globWithoutMatchesIsAStatus();
    void logrotateShiftsNamesTheGlobFollows();
    void aSymlinkAndItsTargetAreOneFile();

private:
    LogOptions logOptions(const QString &path) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    ManualClock m_clock;
};

void TstLogRotation::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("app.log"));
    m_clock.set(kNow);
}

LogOptions TstLogRotation::logOptions(const QString &path) const
{
    LogOptions o;
    o.path = path.toStdString();
    o.format = LogFormat::Plain;
    o.multiline = false;
    return o;
}

void TstLogRotation::hundredRenameRotationsWhileWriting()
{
    // The writer appends without pause and rotates (rename + create, as logrotate without
    // copytruncate) every 50 lines. Before renaming it waits until the tailer has opened the current
    // file: a real rotation is minutes apart, and a path-following tailer cannot know of a file that
    // was renamed away before it ever saw it (twoRotationsBetweenPollsWithAGlob covers that case).
    constexpr int kRotations = 100;
    constexpr int kLinesPerFile = 50;
    constexpr int kLines = (kRotations + 1) * kLinesPerFile;
    QVERIFY(appendTo(m_path, {}));
    SystemClock clock;
    LogTailerOptions o;
    o.path = m_path.toStdString();
    o.target = "app";
    LogTailer tailer(o, clock);
    std::atomic<std::uint64_t> followedInode{0};
    std::atomic<bool> writerDone{false};
    std::atomic<bool> writerFailed{false};
    const std::string path = m_path.toStdString();
    const std::string rotated = path + ".1";
    std::thread writer([&] {
        int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
        for (int i = 0; i < kLines && fd >= 0; ++i) {
            const std::string line = numbered(i) + "\n";
            if (::write(fd, line.data(), line.size()) != ssize_t(line.size()))
                writerFailed = true;
            if ((i + 1) % kLinesPerFile == 0 && i + 1 < kLines) {
                struct stat info {};
                ::fstat(fd, &info);
                const auto waitUntil = std::chrono::steady_clock::now() + std::chrono::seconds(10);
                while (followedInode != std::uint64_t(info.st_ino) && std::chrono::steady_clock::now() < waitUntil)
                    std::this_thread::yield();
                ::close(fd);
                ::rename(path.c_str(), rotated.c_str());
                fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
            }
        }
        if (fd < 0)
            writerFailed = true;
        else
            ::close(fd);
        writerDone = true;
    });
    std::vector<std::string> got;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline && !(writerDone && int(got.size()) >= kLines)) {
        if (auto batch = tailer.poll()) {
            for (const LogRecord &r : *batch)
                got.push_back(r.raw);
        }
        if (tailer.state() == TailState::Following)
            followedInode = tailer.position().inode;
    }
    writer.join();
    QVERIFY(!writerFailed);
    QString why;
    QVERIFY2(inOrderOnce(got, kLines, why), qPrintable(why));
    QCOMPARE(tailer.rotations(), std::uint64_t(kRotations));
}

void TstLogRotation::copytruncateWithAWriterWithoutAppend()
{
    // logrotate's copytruncate: the file is copied and truncated to 0 while its writer, which opened
    // it without O_APPEND, writes on at its old offset and leaves a hole of NULs before its next line.
    LogTailerOptions o;
    o.path = m_path.toStdString();
    o.target = "app";
    const std::string path = m_path.toStdString();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    QVERIFY(fd >= 0);
    auto writeLine = [&](int n) {
        const std::string line = numbered(n) + "\n";
        return ::write(fd, line.data(), line.size()) == ssize_t(line.size());
    };
    LogTailer tailer(o, m_clock);
    std::vector<std::string> got;
    auto pollInto = [&] {
        auto batch = tailer.poll();
        QVERIFY2(batch, batch ? "" : batch.error().message.c_str());
        for (const std::string &raw : raws(*batch))
            got.push_back(raw);
    };
    for (int i = 0; i < 40; ++i)
        QVERIFY(writeLine(i));
    pollInto();
    QVERIFY(QFile::copy(m_path, m_path + QStringLiteral(".1")));
    QVERIFY(::truncate(path.c_str(), 0) == 0);
    for (int i = 40; i < 60; ++i)
        QVERIFY(writeLine(i)); // at offset 40 lines in: the file now starts with a hole
    pollInto();
    ::close(fd);
    QString why;
    QVERIFY2(inOrderOnce(got, 60, why), qPrintable(why));
    QVERIFY(tailer.skippedNulBytes() > 0);
    QCOMPARE(tailer.rotations(), std::uint64_t(1));
}

void TstLogRotation::symlinkSwappedToAnotherFile()
{
    // Deployments point current.log at a release's file and swap the link: the old file is drained,
    // then the link's new target is read from its start.
    const QString a = m_dir->filePath(QStringLiteral("a.log"));
    const QString b = m_dir->filePath(QStringLiteral("b.log"));
    const QString link = m_dir->filePath(QStringLiteral("current.log"));
    QVERIFY(appendTo(a, "line 0\nline 1\n"));
    QVERIFY(QFile::link(a, link));
    LogTailerOptions o;
    o.path = link.toStdString();
    o.target = "app";
    LogTailer tailer(o, m_clock);
    auto batch = tailer.poll();
    QVERIFY(batch);
    QCOMPARE(raws(*batch), (std::vector<std::string>{"line 0", "line 1"}));
    QVERIFY(appendTo(a, "line 2\n"));
    QVERIFY(appendTo(b, "line 3\nline 4\n"));
    const QString next = m_dir->filePath(QStringLiteral("next.log"));
    QVERIFY(QFile::link(b, next));
    QVERIFY(::rename(QFile::encodeName(next).constData(), QFile::encodeName(link).constData()) == 0);
    batch = tailer.poll();
    QVERIFY(batch);
    QCOMPARE(raws(*batch), (std::vector<std::string>{"line 2", "line 3", "line 4"}));
    QCOMPARE(tailer.position().inode, inodeOf(b));
}

void TstLogRotation::truncatedToAShorterLine()
{
    QVERIFY(appendTo(m_path, "a long first line\nand a second one\n"));
    LogTailerOptions o;
    o.path = m_path.toStdString();
    o.target = "app";
    LogTailer tailer(o, m_clock);
    QCOMPARE(tailer.poll()->size(), std::size_t(2));
    QFile file(m_path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QVERIFY(file.write("short\n") == 6);
    file.close();
    const auto batch = tailer.poll();
    QVERIFY(batch);
    QCOMPARE(raws(*batch), (std::vector<std::string>{"short"}));
}

void TstLogRotation::globPicksUpNewFiles()
{
    QVERIFY(appendTo(m_dir->filePath(QStringLiteral("a.log")), "old a\n"));
    QVERIFY(QDir(m_dir->path()).mkdir(QStringLiteral("dir.log"))); // matched, not a file: ignored
    LogTargetTail tail("app", logOptions(m_dir->filePath(QStringLiteral("*.log"))), m_clock);
    auto result = tail.poll();
    QVERIFY2(result.error.empty(), result.error.c_str());
    QVERIFY(result.batch.records.empty()); // start_at: end — what a.log held is history
    QCOMPARE(tail.paths(), std::vector<std::string>{m_dir->filePath(QStringLiteral("a.log")).toStdString()});

    QVERIFY(appendTo(m_dir->filePath(QStringLiteral("a.log")), "new a\n"));
    QVERIFY(appendTo(m_dir->filePath(QStringLiteral("b.log")), "all of b\n"));
    QVERIFY(appendTo(m_dir->filePath(QStringLiteral("b.txt")), "not matched\n"));
    result = tail.poll();
    QCOMPARE(raws(result.batch.records), (std::vector<std::string>{"new a"})); // b.log waits for the rescan
    m_clock.advance(LogTargetTail::kRescanMs);
    result = tail.poll();
    QCOMPARE(raws(result.batch.records), (std::vector<std::string>{"all of b"})); // new: from its start
    QCOMPARE(tail.paths().size(), std::size_t(2));
    for (const LogRecord &r : result.batch.records)
        QCOMPARE(QString::fromStdString(r.file), m_dir->filePath(QStringLiteral("b.log")));
    QCOMPARE(result.batch.checkpoints.size(), std::size_t(1));
    QCOMPARE(result.batch.checkpoints[0].target, std::string("app"));

    // A file that goes away is dropped, without an error.
    QVERIFY(QFile::remove(m_dir->filePath(QStringLiteral("a.log"))));
    m_clock.advance(LogTargetTail::kRescanMs);
    tail.poll();
    result = tail.poll();
    QVERIFY2(result.error.empty(), result.error.c_str());
    QCOMPARE(tail.paths(), std::vector<std::string>{m_dir->filePath(QStringLiteral("b.log")).toStdString()});
}

void TstLogRotation::globDoesNotReadARenamedFileTwice()
{
    // `app.log*` matches the rotated name too: the renamed file is known by its inode.
    LogOptions o = logOptions(m_path + QStringLiteral("*"));
    o.startAtBeginning = true;
    QVERIFY(appendTo(m_path, "line 0\nline 1\n"));
    LogTargetTail tail("app", o, m_clock);
    std::vector<std::string> got = raws(tail.poll().batch.records);
    QVERIFY(appendTo(m_path, "line 2\n"));
    QVERIFY(QFile::rename(m_path, m_path + QStringLiteral(".1")));
    QVERIFY(appendTo(m_path, "line 4\n"));
    m_clock.advance(LogTargetTail::kRescanMs);
    for (const std::string &raw : raws(tail.poll().batch.records))
        got.push_back(raw);
    // The writer had the old file open still and wrote once more after the rotation.
    QVERIFY(appendTo(m_path + QStringLiteral(".1"), "line 3\n"));
    for (int i = 0; i < 3; ++i) {
        m_clock.advance(LogTargetTail::kRescanMs);
        for (const std::string &raw : raws(tail.poll().batch.records))
            got.push_back(raw);
    }
    std::sort(got.begin(), got.end()); // two files: each in order, not interleaved by time
    QString why;
    QVERIFY2(inOrderOnce(got, 5, why), qPrintable(why));
}

void TstLogRotation::twoRotationsBetweenPollsWithAGlob()
{
    // logrotate ran twice before the next poll: app.log went to .1 and then to .2, and the file in
    // between to .1. A path alone would never see that file; the glob finds it.
    LogOptions o = logOptions(m_path + QStringLiteral("*"));
    QVERIFY(appendTo(m_path, "history\n"));
    LogTargetTail tail("app", o, m_clock);
    QVERIFY(tail.poll().batch.records.empty());
    QVERIFY(appendTo(m_path, "line 0\n"));
    QVERIFY(QFile::rename(m_path, m_path + QStringLiteral(".1")));
    QVERIFY(appendTo(m_path, "line 1\n"));
    QVERIFY(QFile::rename(m_path + QStringLiteral(".1"), m_path + QStringLiteral(".2")));
    QVERIFY(QFile::rename(m_path, m_path + QStringLiteral(".1")));
    QVERIFY(appendTo(m_path, "line 2\n"));
    std::vector<std::string> got;
    for (int i = 0; i < 3; ++i) {
        m_clock.advance(LogTargetTail::kRescanMs);
        for (const std::string &raw : raws(tail.poll().batch.records))
            got.push_back(raw);
    }
    std::sort(got.begin(), got.end());
    QString why;
    QVERIFY2(inOrderOnce(got, 3, why), qPrintable(why));
}

void TstLogRotation::checkpointFollowsItsFileUnderANewName()
{
    // Rotated while the app was closed: the checkpoint of app.log resumes its file as app.log.1, and
    // the new app.log (a name read before) is read from its start.
    LogOptions o = logOptions(m_path + QStringLiteral("*"));
    QVERIFY(appendTo(m_path, "history\n"));
    std::vector<LogCheckpoint> saved;
    {
        LogTargetTail tail("app", o, m_clock);
        const auto result = tail.poll();
        QVERIFY(result.batch.records.empty());
        saved = result.batch.checkpoints;
    }
    QCOMPARE(saved.size(), std::size_t(1));
    QVERIFY(appendTo(m_path, "line 0\n"));
    QVERIFY(QFile::rename(m_path, m_path + QStringLiteral(".1")));
    QVERIFY(appendTo(m_path, "line 1\n"));
    LogTargetTail tail("app", o, m_clock, saved);
    std::vector<std::string> got = raws(tail.poll().batch.records);
    std::sort(got.begin(), got.end());
    QString why;
    QVERIFY2(inOrderOnce(got, 2, why), qPrintable(why));
}

void TstLogRotation::globWithoutMatchesIsAStatus()
{
    LogTargetTail tail("app", logOptions(m_dir->filePath(QStringLiteral("*.log"))), m_clock);
    auto result = tail.poll();
    QVERIFY(result.error.find("no file matches") != std::string::npos);
    QVERIFY(!result.degraded);
    QVERIFY(appendTo(m_path, "line 0\n"));
    m_clock.advance(LogTargetTail::kRescanMs);
    result = tail.poll();
    QVERIFY2(result.error.empty(), result.error.c_str());
    QCOMPARE(raws(result.batch.records), (std::vector<std::string>{"line 0"})); // appeared later: all new
}

void TstLogRotation::logrotateShiftsNamesTheGlobFollows()
{
    // `app.log*` follows app.log and app.log.1; logrotate then shifts app.log.1 to .2 and app.log to
    // .1 — names already followed now name other files. Every line once, none lost.
    LogOptions o = logOptions(m_path + QStringLiteral("*"));
    o.startAtBeginning = true;
    std::vector<std::string> got;
    LogTargetTail tail("app", o, m_clock);
    const auto pollAll = [&] {
        for (int i = 0; i < 3; ++i) {
            m_clock.advance(LogTargetTail::kRescanMs);
            for (const std::string &raw : raws(tail.poll().batch.records))
                got.push_back(raw);
        }
    };
    QVERIFY(appendTo(m_path, "line 0\n"));
    pollAll();
    QVERIFY(QFile::rename(m_path, m_path + QStringLiteral(".1")));
    QVERIFY(appendTo(m_path, "line 1\n"));
    pollAll();
    QCOMPARE(tail.paths().size(), std::size_t(2));
    QVERIFY(QFile::rename(m_path + QStringLiteral(".1"), m_path + QStringLiteral(".2")));
    QVERIFY(QFile::rename(m_path, m_path + QStringLiteral(".1")));
    QVERIFY(appendTo(m_path, "line 2\n"));
    QVERIFY(appendTo(m_path + QStringLiteral(".1"), "line 3\n")); // its writer had not reopened yet
    pollAll();
    QVERIFY(appendTo(m_path, "line 4\n"));
    pollAll();
    std::sort(got.begin(), got.end());
    QString why;
    QVERIFY2(inOrderOnce(got, 5, why), qPrintable(why));
    QCOMPARE(tail.paths().size(), std::size_t(3));
}

void TstLogRotation::aSymlinkAndItsTargetAreOneFile()
{
    const QString target = m_dir->filePath(QStringLiteral("a.log"));
    QVERIFY(appendTo(target, "line 0\n"));
    QVERIFY(QFile::link(target, m_dir->filePath(QStringLiteral("current.log"))));
    LogOptions o = logOptions(m_dir->filePath(QStringLiteral("*.log")));
    o.startAtBeginning = true;
    LogTargetTail tail("app", o, m_clock);
    std::vector<std::string> got = raws(tail.poll().batch.records);
    QVERIFY(appendTo(target, "line 1\n"));
    m_clock.advance(LogTargetTail::kRescanMs);
    for (const std::string &raw : raws(tail.poll().batch.records))
        got.push_back(raw);
    QString why;
    QVERIFY2(inOrderOnce(got, 2, why), qPrintable(why));
    QCOMPARE(tail.paths().size(), std::size_t(1));
}

QTEST_GUILESS_MAIN(TstLogRotation)
#include "tst_log_rotation.moc"
