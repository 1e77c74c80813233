// MultilineJoiner and the tailer with multi-line records: the continuation rule (Java, Python and Go
// traces), a start pattern, the caps that split a runaway record, the wait for a quiet record, and a
// tailer that resumes at the first line of a record it held when it stopped, so a restart neither
// splits nor repeats it.
#include "log_test_files.h"
#include "collectors/log_tailer.h"
#include "collectors/multiline_joiner.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace pulse;
using pulse::test::appendTo;

namespace {

constexpr std::int64_t kNow = 1'795'943'523'000;

LogTailerOptions multilineTailer(const QString &path)
{
    LogTailerOptions o;
    o.path = path.toStdString();
    o.target = "app";
    o.multiline = {true, {}};
    return o;
}

std::vector<std::string> joinAll(MultilineJoiner &joiner, const std::vector<std::string> &lines)
{
    std::vector<TailLine> out;
    std::uint64_t offset = 0;
    for (const std::string &line : lines) {
        joiner.push(TailLine{line, offset, false}, kNow, out);
        offset += line.size() + 1;
    }
    if (auto held = joiner.flush())
        out.push_back(std::move(*held));
    std::vector<std::string> records;
    for (const TailLine &t : out)
        records.push_back(t.bytes);
    return records;
}

} // namespace

class TstMultilineJoiner : public QObject {
    Q_OBJECT
private slots:
    void disabledPassesLinesThrough();
    void javaPythonAndGoTraces();
    void startPattern();
    void runawayRecordIsSplitNotCut();
    void waitsUntilTheRecordIsQuiet();
    void tailerHoldsARecordAndResumesAtItsStart();
    void rotationCompletesTheHeldRecord();
};

void TstMultilineJoiner::disabledPassesLinesThrough()
{
    MultilineJoiner joiner;
    QCOMPARE(joinAll(joiner, {"a", "  b", "at c"}), (std::vector<std::string>{"a", "  b", "at c"}));
    QVERIFY(!joiner.heldOffset());
}

void TstMultilineJoiner::javaPythonAndGoTraces()
{
    auto joiner = MultilineJoiner::create({true, {}});
    QVERIFY(joiner);
    const std::vector<std::string> lines{
        "2026-12-07 03:12:00 ERROR request failed",
        "java.lang.IllegalStateException: boom", // a new record: no indent (the rule cannot know)
        "\tat com.example.Api.handle(Api.java:42)",
        "Caused by: java.io.IOException: reset",
        "\t... 12 more",
        "Traceback (most recent call last):",
        "  File \"app.py\", line 3, in <module>",
        "ValueError: bad",
        "goroutine 1 [running]:",
        "main.main()",
        "\t/src/main.go:12 +0x1d",
        "",
        "2026-12-07 03:12:01 INFO next",
    };
    QCOMPARE(
        joinAll(*joiner, lines),
        (std::vector<std::string>{"2026-12-07 03:12:00 ERROR request failed",
                                  "java.lang.IllegalStateException: boom\n\tat com.example.Api.handle(Api.java:42)\n"
                                  "Caused by: java.io.IOException: reset\n\t... 12 more",
                                  "Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>",
                                  "ValueError: bad", "goroutine 1 [running]:", "main.main()\n\t/src/main.go:12 +0x1d",
                                  "", "2026-12-07 03:12:01 INFO next"}));
}

void TstMultilineJoiner::startPattern()
{
    auto joiner = MultilineJoiner::create({true, R"re(^\d{4}-\d\d-\d\d )re"});
    QVERIFY(joiner);
    QCOMPARE(
        joinAll(*joiner, {"orphan before any start", "2026-12-07 a", "java.lang.Error: x", "more", "2026-12-07 b"}),
        (std::vector<std::string>{"orphan before any start", "2026-12-07 a\njava.lang.Error: x\nmore",
                                  "2026-12-07 b"}));
    QVERIFY(!MultilineJoiner::create({true, "(unclosed"}));
}

void TstMultilineJoiner::runawayRecordIsSplitNotCut()
{
    MultilineOptions options{true, {}};
    options.maxRecordLines = 3;
    auto joiner = MultilineJoiner::create(options);
    QVERIFY(joiner);
    QCOMPARE(joinAll(*joiner, {"head", " 1", " 2", " 3", " 4"}), (std::vector<std::string>{"head\n 1\n 2", " 3\n 4"}));
    options.maxRecordLines = 1000;
    options.maxRecordBytes = 10;
    joiner = MultilineJoiner::create(options);
    QCOMPARE(joinAll(*joiner, {"head", " 1234", " 5678"}), (std::vector<std::string>{"head\n 1234", " 5678"}));
}

void TstMultilineJoiner::waitsUntilTheRecordIsQuiet()
{
    auto joiner = MultilineJoiner::create({true, {}});
    QVERIFY(joiner);
    std::vector<TailLine> out;
    joiner->push(TailLine{"head", 100, false}, kNow, out);
    joiner->push(TailLine{" more", 105, false}, kNow + 400, out);
    QVERIFY(out.empty());
    QCOMPARE(joiner->heldOffset(), std::optional<std::uint64_t>(100));
    QVERIFY(!joiner->flushIfQuiet(kNow + 800)); // 400 ms since the last line joined it
    const auto done = joiner->flushIfQuiet(kNow + 900);
    QVERIFY(done);
    QCOMPARE(done->bytes, std::string("head\n more"));
    QCOMPARE(done->offset, std::uint64_t(100));
    QVERIFY(!joiner->heldOffset());
}

void TstMultilineJoiner::tailerHoldsARecordAndResumesAtItsStart()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("app.log"));
    ManualClock clock;
    clock.set(kNow);
    const LogTailerOptions o = multilineTailer(path);
    QVERIFY(appendTo(path, "first\nERROR boom\n\tat a\n"));
    std::optional<TailPosition> saved;
    {
        LogTailer tailer(o, clock);
        const auto batch = tailer.poll();
        QVERIFY(batch);
        QCOMPARE(batch->size(), std::size_t(1)); // "first": the ERROR record may not be complete yet
        QCOMPARE(tailer.position().offset, std::uint64_t(6));
        saved = tailer.position(); // the app stops here
    }
    QVERIFY(appendTo(path, "\tat b\nnext\n"));
    LogTailer tailer(o, clock, saved);
    auto batch = tailer.poll();
    QVERIFY(batch);
    QCOMPARE(batch->size(), std::size_t(1));
    QCOMPARE((*batch)[0].raw, std::string("ERROR boom\n\tat a\n\tat b"));
    QCOMPARE((*batch)[0].level, LogLevel::Error);
    QCOMPARE((*batch)[0].offset, std::uint64_t(6));
    clock.advance(1000);
    batch = tailer.poll(); // nothing joined "next" for a second: it is complete
    QVERIFY(batch);
    QCOMPARE(batch->size(), std::size_t(1));
    QCOMPARE((*batch)[0].raw, std::string("next"));
    QCOMPARE(tailer.position().offset, std::uint64_t(QFile(path).size()));
}

void TstMultilineJoiner::rotationCompletesTheHeldRecord()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("app.log"));
    ManualClock clock;
    clock.set(kNow);
    const LogTailerOptions o = multilineTailer(path);
    QVERIFY(appendTo(path, "ERROR boom\n\tat a\n"));
    LogTailer tailer(o, clock);
    QVERIFY(tailer.poll()->empty());
    QVERIFY(QFile::rename(path, path + QStringLiteral(".1")));
    QVERIFY(appendTo(path, "\tat not-the-old-trace\n"));
    const auto batch = tailer.poll();
    QVERIFY(batch);
    QCOMPARE(batch->size(), std::size_t(1)); // the old file's record; the new file's line is held
    QCOMPARE((*batch)[0].raw, std::string("ERROR boom\n\tat a"));
}

QTEST_GUILESS_MAIN(TstMultilineJoiner)
#include "tst_multiline_joiner.moc"
