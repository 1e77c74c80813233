// What a tailed file may hold besides tidy lines: a 10 MB line (cut at 64 KiB and flagged, the rest of
// the file still read), NUL bytes inside lines, CR-only line ends (also split across reads), binary
// garbage, invalid UTF-8 across the tailer's 64 KiB read boundary (stored byte-exact), and a file
// replaced by a directory and then by a file again. Time comes from a ManualClock; nothing sleeps.
#include "log_test_files.h"
#include "collectors/log_tailer.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <random>

using namespace pulse;
using pulse::test::appendTo;
using pulse::test::raws;

namespace {

constexpr std::int64_t kNow = 1'795'943'523'000;

} // namespace

class TstLogBadInput : public QObject {
    Q_OBJECT
private slots:
    void init();
    void tenMegabyteLineIsCut();
    void nulBytesInsideLinesAreKept();
    void crOnlyLineEnds();
    void crlfSplitAcrossReads();
    void binaryGarbageIsNeverLost();
    void invalidUtf8AcrossTheReadBoundary();
    void fileReplacedByADirectory();

private:
    std::vector<LogRecord> drain(LogTailer &tailer);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    ManualClock m_clock;
    LogTailerOptions m_options;
};

void TstLogBadInput::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("app.log"));
    m_clock.set(kNow);
    m_options = LogTailerOptions{};
    m_options.path = m_path.toStdString();
    m_options.target = "app";
}

std::vector<LogRecord> TstLogBadInput::drain(LogTailer &tailer)
{
    std::vector<LogRecord> all;
    for (int i = 0; i < 1000; ++i) {
        auto batch = tailer.poll();
        if (!batch)
            break;
        all.insert(all.end(), std::make_move_iterator(batch->begin()), std::make_move_iterator(batch->end()));
        if (!tailer.hasMore())
            break;
    }
    return all;
}

void TstLogBadInput::tenMegabyteLineIsCut()
{
    QVERIFY(appendTo(m_path, "before\n" + QByteArray(10 * 1024 * 1024, 'x') + "\nafter\n"));
    LogTailer tailer(m_options, m_clock);
    const std::vector<LogRecord> got = drain(tailer);
    QCOMPARE(got.size(), std::size_t(3));
    QCOMPARE(got[0].raw, std::string("before"));
    QCOMPARE(got[1].raw.size(), m_options.maxLineBytes);
    QVERIFY(got[1].truncated);
    QCOMPARE(got[2].raw, std::string("after"));
    QCOMPARE(got[2].offset, std::uint64_t(7 + 10 * 1024 * 1024 + 1));
    QCOMPARE(tailer.truncatedLines(), std::uint64_t(1));
}

void TstLogBadInput::nulBytesInsideLinesAreKept()
{
    const QByteArray line("a\0b\0c", 5);
    QVERIFY(appendTo(m_path, line + "\n"));
    LogTailer tailer(m_options, m_clock);
    const auto got = drain(tailer);
    QCOMPARE(got.size(), std::size_t(1));
    QCOMPARE(got[0].raw, std::string("a\0b\0c", 5));
    QCOMPARE(tailer.skippedNulBytes(), std::uint64_t(0));
}

void TstLogBadInput::crOnlyLineEnds()
{
    QVERIFY(appendTo(m_path, "one\rtwo\r\nthree\rfour"));
    LogTailer tailer(m_options, m_clock);
    auto got = drain(tailer);
    QCOMPARE(raws(got), (std::vector<std::string>{"one", "two", "three"}));
    QCOMPARE(got[1].offset, std::uint64_t(4));
    QCOMPARE(got[2].offset, std::uint64_t(9));
    QVERIFY(appendTo(m_path, "\r"));
    QVERIFY(drain(tailer).empty()); // "four\r": a CRLF may be on its way
    QVERIFY(appendTo(m_path, "five\n"));
    got = drain(tailer);
    QCOMPARE(raws(got), (std::vector<std::string>{"four", "five"}));
    QCOMPARE(got[1].offset, std::uint64_t(20));
    QCOMPARE(tailer.position().offset, std::uint64_t(QFile(m_path).size()));
}

void TstLogBadInput::crlfSplitAcrossReads()
{
    QVERIFY(appendTo(m_path, "windows\r"));
    LogTailer tailer(m_options, m_clock);
    QVERIFY(drain(tailer).empty());
    QVERIFY(appendTo(m_path, "\nnext\r\n"));
    const auto got = drain(tailer);
    QCOMPARE(raws(got), (std::vector<std::string>{"windows", "next"}));
    QCOMPARE(got[1].offset, std::uint64_t(9));
}

void TstLogBadInput::binaryGarbageIsNeverLost()
{
    // A binary file appended to a log by mistake: every byte ends up in a record, none is invented.
    std::mt19937 random(7);
    QByteArray garbage(300'000, '\0');
    for (char &c : garbage)
        c = char(random() & 0xff);
    garbage[0] = 'x'; // not a NUL hole at the line start
    QVERIFY(appendTo(m_path, garbage));
    m_options.maxLineBytes = std::size_t{1} << 20;
    LogTailer tailer(m_options, m_clock);
    std::vector<LogRecord> got = drain(tailer);
    m_clock.advance(m_options.partialLineFlushMs);
    const auto rest = drain(tailer);
    got.insert(got.end(), rest.begin(), rest.end());
    std::string joined;
    for (const LogRecord &r : got) {
        QVERIFY(r.offset >= joined.size());
        joined.resize(r.offset, '?'); // the terminators between records
        joined += r.raw;
    }
    QCOMPARE(joined.size(), std::size_t(garbage.size()));
    for (std::size_t i = 0; i < joined.size(); ++i) {
        const char c = garbage[qsizetype(i)];
        if (c != '\n' && c != '\r' && joined[i] != '?')
            QCOMPARE(joined[i], c);
    }
}

void TstLogBadInput::invalidUtf8AcrossTheReadBoundary()
{
    // The tailer reads 64 KiB at a time: a line that straddles the boundary with a broken sequence
    // on it comes back byte-exact.
    QByteArray first(65534, 'a');
    first[0] = 'b';
    const QByteArray broken("\xe2\x82\x28\xc3", 4); // a 3-byte sequence cut short, then a lone lead byte
    QVERIFY(appendTo(m_path, first + broken + "tail\n"));
    LogTailer tailer(m_options, m_clock);
    const auto got = drain(tailer);
    QCOMPARE(got.size(), std::size_t(1));
    QVERIFY(got[0].truncated); // 65,542 bytes: over 64 KiB
    m_options.maxLineBytes = 128 * 1024;
    LogTailer wide(m_options, m_clock, std::nullopt);
    const auto whole = drain(wide);
    QCOMPARE(whole.size(), std::size_t(1));
    QCOMPARE(QByteArray::fromStdString(whole[0].raw), first + broken + "tail");
}

void TstLogBadInput::fileReplacedByADirectory()
{
    QVERIFY(appendTo(m_path, "line 0\n"));
    LogTailer tailer(m_options, m_clock);
    QCOMPARE(drain(tailer).size(), std::size_t(1));
    QVERIFY(appendTo(m_path, "line 1\n"));
    QVERIFY(QFile::remove(m_path));
    QVERIFY(QDir(m_dir->path()).mkdir(QStringLiteral("app.log")));
    auto batch = tailer.poll();
    QVERIFY(batch); // the deleted file is drained first
    QCOMPARE(raws(*batch), std::vector<std::string>{"line 1"});
    batch = tailer.poll();
    QVERIFY(!batch);
    QCOMPARE(tailer.errorKind(), TailErrorKind::NotRegularFile);
    QVERIFY(QString::fromStdString(batch.error().message).contains(QStringLiteral("not a regular file")));
    QVERIFY(QDir(m_dir->path()).rmdir(QStringLiteral("app.log")));
    QVERIFY(appendTo(m_path, "line 2\n"));
    batch = tailer.poll();
    QVERIFY(batch);
    QCOMPARE(raws(*batch), std::vector<std::string>{"line 2"});
}

QTEST_GUILESS_MAIN(TstLogBadInput)
#include "tst_log_bad_input.moc"
