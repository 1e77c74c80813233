// The SQLite history end to end: writer thread → file → readers, rollups, retention, restarts,
// and byte-exact storage of hostile names and values.
#include "storage/sample_writer.h"
#include "storage/series_head.h"
#include "storage/sqlite_history.h"
#include "storage/store_schema.h"
#include "storage/store_writer.h"

#include "core/base/clock.h"
#include "core/promql/engine.h"

#include <QTemporaryDir>
#include <QTest>

#include <bit>
#include <climits>
#include <cmath>

using namespace pulse;
using namespace pulse::storage;

namespace {

constexpr std::int64_t kT0 = 1'699'999'200'000; // a round hour

MetricBatch batchAt(std::int64_t ts, int series, double value)
{
    MetricBatch b;
    b.scrapeStartMs = ts;
    for (int i = 0; i < series; ++i)
        b.samples.push_back(
            Sample{"http_requests_total", Labels({{"route", "/r" + std::to_string(i)}}), ts, value + i});
    return b;
}

std::vector<LabelMatcher> named(const std::string &metric)
{
    return {LabelMatcher{"__name__", LabelMatcher::Op::Equal, metric}};
}

std::int64_t pragma(SqliteDb &db, SqlText sql)
{
    auto s = db.prepare(sql);
    if (!s)
        qFatal("%s", s.error().message.c_str());
    auto row = s->step();
    return row && *row ? s->columnInt(0) : -1;
}

std::unique_ptr<SqliteHistory> openHistory(const std::string &path)
{
    auto h = SqliteHistory::open(path);
    if (!h)
        qFatal("%s", h.error().message.c_str());
    return std::move(*h);
}

std::unique_ptr<SampleWriter> openWriter(const std::string &path, SampleWriterOptions options = {})
{
    auto w = SampleWriter::open(path, std::move(options));
    if (!w)
        qFatal("%s", w.error().message.c_str());
    return std::move(*w);
}

} // namespace

class TestSqliteHistory : public QObject {
    Q_OBJECT
private slots:
    void writeThenRead()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        auto writer = openWriter(path);
        for (int i = 0; i < 1000; ++i)
            writer->appendWait(batchAt(kT0 + i * 1000, 10, i));
        QVERIFY(writer->flush());
        QCOMPARE(writer->status().committedSamples, std::uint64_t{10'000});
        QCOMPARE(writer->status().committedUpToMs, kT0 + 999'000);

        auto history = openHistory(path);
        auto all = history->select(named("http_requests_total"), kT0, kT0 + 10'000'000);
        QVERIFY(all);
        QCOMPARE(all->size(), std::size_t{10});
        for (const SeriesData &s : *all) {
            QCOMPARE(s.timestampsMs.size(), std::size_t{1000});
            const int offset = std::stoi(std::string(s.labels.value("route").substr(2)));
            for (std::size_t i = 0; i < s.values.size(); ++i) {
                QCOMPARE(s.timestampsMs[i], kT0 + static_cast<std::int64_t>(i) * 1000);
                QCOMPARE(s.values[i], static_cast<double>(i) + offset);
            }
        }
        // A sub-range crossing sealed chunks and the head.
        std::vector<LabelMatcher> one = named("http_requests_total");
        one.push_back(LabelMatcher{"route", LabelMatcher::Op::Equal, "/r3"});
        auto part = history->select(one, kT0 + 100'500, kT0 + 900'000);
        QVERIFY(part);
        QCOMPARE(part->size(), std::size_t{1});
        QCOMPARE(part->front().timestampsMs.front(), kT0 + 101'000);
        QCOMPARE(part->front().timestampsMs.back(), kT0 + 900'000);
        QCOMPARE(part->front().values.size(), std::size_t{800});
        // Regex and negative matchers are evaluated on the candidates.
        std::vector<LabelMatcher> re = named("http_requests_total");
        re.push_back(LabelMatcher{"route", LabelMatcher::Op::Regex, "/r[0-4]"});
        re.push_back(LabelMatcher{"route", LabelMatcher::Op::NotEqual, "/r2"});
        auto some = history->select(re, kT0, kT0 + 10'000'000);
        QVERIFY(some);
        QCOMPARE(some->size(), std::size_t{4});
    }

    // The read side fills its catalogue lazily: by the index for selectors with an equality matcher,
    // all of it for one without; series written after the first query are found either way, and
    // entries from one selector stay valid while the next loads more.
    void catalogueLoadsWhatQueriesNeed()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        auto writer = openWriter(path);
        writer->appendWait(batchAt(kT0, 10, 0));
        QVERIFY(writer->flush());
        auto history = openHistory(path);
        auto first = history->select(named("http_requests_total"), kT0, kT0 + 1000);
        QVERIFY(first);
        QCOMPARE(first->size(), std::size_t{10});

        MetricBatch late;
        late.samples.push_back(Sample{"late_metric", Labels({{"job", "x"}}), kT0 + 500, 5});
        writer->appendWait(std::move(late));
        QVERIFY(writer->flush());
        auto byName = history->select(named("late_metric"), kT0, kT0 + 1000);
        QVERIFY(byName);
        QCOMPARE(byName->size(), std::size_t{1});
        QCOMPARE(byName->front().values.front(), 5.0);
        auto everything =
            history->select(std::vector<LabelMatcher>{{"__name__", LabelMatcher::Op::Regex, ".+"}}, kT0, kT0 + 1000);
        QVERIFY(everything);
        QCOMPARE(everything->size(), std::size_t{11});
        auto byJob = history->select(std::vector<LabelMatcher>{{"job", LabelMatcher::Op::Equal, "x"}}, kT0, kT0 + 1000);
        QVERIFY(byJob);
        QCOMPARE(byJob->size(), std::size_t{1});
    }

    void rememberedSelectorsSeeNewAndPrunedSeries()
    {
        // Selectors' answers are remembered between queries (ReadConnection::matchSeries): a series
        // added later must still be found by a selector asked before it existed, with every kind of
        // matcher, and a remembered answer must not outlive a series the writer pruned.
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        ManualClock clock(kT0);
        SampleWriterOptions options;
        options.clock = &clock;
        options.retention = RetentionMs{3'600'000, 3'600'000, 3'600'000};
        options.retentionInterval = std::chrono::milliseconds(1);
        auto writer = openWriter(path, options);
        writer->appendWait(batchAt(kT0, 2, 0)); // /r0, /r1
        QVERIFY(writer->flush());
        auto history = openHistory(path);
        const std::vector<std::vector<LabelMatcher>> selectors{
            named("http_requests_total"),
            {{"__name__", LabelMatcher::Op::Equal, "http_requests_total"}, {"route", LabelMatcher::Op::Regex, "/r.*"}},
            {{"__name__", LabelMatcher::Op::Regex, "http_.*"}},
            {{"route", LabelMatcher::Op::NotEqual, "/r0"}},
        };
        const auto counts = [&] {
            std::vector<std::size_t> out;
            for (const auto &selector : selectors) {
                auto found = history->select(selector, INT64_MIN, INT64_MAX);
                out.push_back(found ? found->size() : 999);
            }
            return out;
        };
        QCOMPARE(counts(), (std::vector<std::size_t>{2, 2, 2, 1}));
        QCOMPARE(counts(), (std::vector<std::size_t>{2, 2, 2, 1})); // remembered
        writer->appendWait(batchAt(kT0 + 1000, 3, 0));              // /r2 is new
        QVERIFY(writer->flush());
        QCOMPARE(counts(), (std::vector<std::size_t>{3, 3, 3, 2}));
        // Only /r2 gets samples later; past the retention plus an hour the others are pruned.
        MetricBatch one;
        one.samples.push_back(Sample{"http_requests_total", Labels({{"route", "/r2"}}), kT0 + 5 * 3'600'000, 1});
        clock.set(kT0 + 5 * 3'600'000);
        writer->appendWait(std::move(one));
        QVERIFY(writer->flush());
        QTRY_COMPARE_WITH_TIMEOUT(counts(), (std::vector<std::size_t>{1, 1, 1, 1}), 10000);
    }

    void restartResumesSeries()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        {
            auto writer = openWriter(path);
            for (int i = 0; i < 300; ++i)
                writer->appendWait(batchAt(kT0 + i * 15'000, 3, i * 2.5));
        }
        {
            auto writer = openWriter(path);
            writer->appendWait(batchAt(kT0, 3, -1)); // older than what is stored: rejected
            for (int i = 300; i < 700; ++i)
                writer->appendWait(batchAt(kT0 + i * 15'000, 3, i * 2.5));
            QVERIFY(writer->flush());
            QCOMPARE(writer->status().outOfOrderSamples, std::uint64_t{3});
        }
        auto history = openHistory(path);
        auto all = history->select(named("http_requests_total"), INT64_MIN, INT64_MAX);
        QVERIFY(all);
        QCOMPARE(all->size(), std::size_t{3});
        for (const SeriesData &s : *all) {
            QCOMPARE(s.values.size(), std::size_t{700});
            for (std::size_t i = 1; i < s.timestampsMs.size(); ++i)
                QCOMPARE(s.timestampsMs[i] - s.timestampsMs[i - 1], std::int64_t{15'000});
            QCOMPARE(s.values[400] - s.values[399], 2.5);
        }
    }

    void hostileNamesAndValuesRoundTrip()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        const std::string nul("a\0b", 3);
        const std::string big(100 * 1024, 'x');
        std::string binary;
        for (int c = 0; c < 256; ++c)
            binary.push_back(static_cast<char>(c));
        const std::vector<std::pair<std::string, std::string>> cases = {
            {"quote\"d", "va\"l'ue"}, {"sql", "'); DROP TABLE series; --"}, {"nul", nul}, {"big", big + nul},
            {"bin", binary},
        };
        {
            auto writer = openWriter(path);
            MetricBatch b;
            for (const auto &[name, value] : cases)
                b.samples.push_back(Sample{"weird\"metric\0x" + name, Labels({{name, value}}), kT0, 1});
            b.samples.push_back(Sample{std::string("m\0", 2) + big, Labels({{"a", "1"}}), kT0, staleMarker()});
            writer->appendWait(std::move(b));
            QVERIFY(writer->flush());
        }
        auto history = openHistory(path);
        for (const auto &[name, value] : cases) {
            std::vector<LabelMatcher> m = {{name, LabelMatcher::Op::Equal, value}};
            auto got = history->select(m, 0, INT64_MAX);
            QVERIFY(got);
            QCOMPARE(got->size(), std::size_t{1});
            QCOMPARE(got->front().labels.value(name), std::string_view(value));
            QCOMPARE(got->front().metric, "weird\"metric\0x" + name);
        }
        auto stale = history->select(named(std::string("m\0", 2) + big), 0, INT64_MAX);
        QVERIFY(stale);
        QCOMPARE(stale->size(), std::size_t{1});
        QVERIFY(isStaleMarker(stale->front().values.front()));
        auto all =
            history->select(std::vector<LabelMatcher>{{"__name__", LabelMatcher::Op::Regex, ".+"}}, 0, INT64_MAX);
        QVERIFY(all);
        QCOMPARE(all->size(), cases.size() + 1);
    }

    void rollupsAndPlanner()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        {
            auto writer = openWriter(path);
            // 3 hours of a 10 s scrape: a counter rising by 1 per second.
            for (int i = 0; i < 3 * 360; ++i)
                writer->appendWait(batchAt(kT0 + i * 10'000, 2, i * 10.0));
            QVERIFY(writer->flush());
        }
        auto history = openHistory(path);
        auto minutes = history->selectRollups(named("http_requests_total"), kT0, kT0 + 3 * 3'600'000, kRollup1mMs);
        QVERIFY(minutes);
        QCOMPARE(minutes->size(), std::size_t{2});
        const auto &b = minutes->front().buckets;
        QCOMPARE(b.size(), std::size_t{180});
        // Buckets are (start, start + 1 min]: the sample at a boundary ends the bucket before it.
        QCOMPARE(b[1].startMs, kT0 + 60'000);
        QCOMPARE(b[1].count, std::int64_t{6});
        QCOMPARE(b[1].min, 70.0);
        QCOMPARE(b[1].max, 120.0);
        QCOMPARE(b[1].sum, 70.0 + 80 + 90 + 100 + 110 + 120);
        QCOMPARE(b[1].last, 120.0);
        QCOMPARE(b[1].lastTimestampMs, kT0 + 120'000);
        auto hours = history->selectRollups(named("http_requests_total"), kT0, kT0 + 3 * 3'600'000, kRollup1hMs);
        QVERIFY(hours);
        QCOMPARE(hours->front().buckets.size(), std::size_t{3});
        QCOMPARE(hours->front().buckets[1].count, std::int64_t{360});
        QCOMPARE(hours->front().buckets[2].count, std::int64_t{359}); // the last sample is 10 s before the end

        QCOMPARE(&history->readerForStep(1000), static_cast<const HistoryReader *>(history.get()));
        QVERIFY(&history->readerForStep(60'000) != static_cast<const HistoryReader *>(history.get()));
        // rate() over rollups agrees with rate() over raw samples for a steady counter.
        std::vector<LabelMatcher> one = named("http_requests_total");
        one.push_back(LabelMatcher{"route", LabelMatcher::Op::Equal, "/r0"});
        promql::Engine raw(*history);
        promql::Engine coarse(history->readerForStep(300'000));
        const char *q = "rate(http_requests_total{route=\"/r0\"}[10m])";
        auto a = raw.rangeQuery(q, kT0 + 3'600'000, kT0 + 2 * 3'600'000, 300'000);
        auto c = coarse.rangeQuery(q, kT0 + 3'600'000, kT0 + 2 * 3'600'000, 300'000);
        QVERIFY2(a, a ? "" : a.error().message.c_str());
        QVERIFY2(c, c ? "" : c.error().message.c_str());
        QCOMPARE(a->matrix.size(), std::size_t{1});
        QCOMPARE(c->matrix.size(), std::size_t{1});
        QCOMPARE(a->matrix[0].points.size(), c->matrix[0].points.size());
        for (std::size_t i = 0; i < a->matrix[0].points.size(); ++i)
            QVERIFY(std::fabs(a->matrix[0].points[i].value - c->matrix[0].points[i].value) < 1e-9);

        // A window too short for a tier's buckets (rate over 5 minutes at 2-hour steps: one 1-hour
        // bucket a window) falls back to a finer tier, so the answer is not empty.
        const char *shortWindow = "rate(http_requests_total{route=\"/r0\"}[5m])";
        const std::int64_t window = promql::smallestWindowMs(shortWindow);
        QCOMPARE(window, std::int64_t{300'000});
        QCOMPARE(promql::smallestWindowMs("up"), std::int64_t{INT64_MAX});
        // A subquery counts four of its steps: its inner expression runs at them.
        QCOMPARE(promql::smallestWindowMs("max_over_time(rate(x[1h])[1d:5m])"), std::int64_t{1'200'000});
        QCOMPARE(promql::smallestWindowMs("max_over_time(rate(x[1h])[1d:1h])"), std::int64_t{3'600'000});
        const HistoryReader &hoursOnly = history->readerForStep(7'200'000);
        const HistoryReader &planned = history->readerForStep(7'200'000, window);
        QVERIFY(&planned != &hoursOnly);
        QCOMPARE(&planned, &history->readerForStep(60'000));
        auto viaHours =
            promql::Engine(hoursOnly).rangeQuery(shortWindow, kT0 + 3'600'000, kT0 + 3 * 3'600'000, 7'200'000);
        auto viaPlan = promql::Engine(planned).rangeQuery(shortWindow, kT0 + 3'600'000, kT0 + 3 * 3'600'000, 7'200'000);
        QVERIFY(viaHours && viaPlan);
        QVERIFY(viaHours->matrix.empty()); // what the planner used to answer
        QCOMPARE(viaPlan->matrix.size(), std::size_t{1});
        QCOMPARE(&history->readerForStep(1000, window), static_cast<const HistoryReader *>(history.get()));
    }

    void stepWindowsReadOnlyWhatStepsSee()
    {
        // Six hours of a dense series (2 s: stored 1-minute buckets) and a sparse one (15 s: its
        // 1-minute tier is read from raw chunks), a staleness marker in each.
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        constexpr std::int64_t kSpan = 6 * 3'600'000;
        // The writer stays open: the newest samples are only in the head log (read through it too).
        auto writer = openWriter(path);
        for (std::int64_t t = 0; t <= kSpan; t += 2'000) {
            MetricBatch b;
            b.scrapeStartMs = kT0 + t;
            // Staleness markers and counter resets inside windows below (at 2,800 s, 11,690 s; 9,400 s) and
            // outside them (every 2,001 s).
            const std::int64_t sec = t / 1000;
            const bool marker = sec == 2800 || sec == 11690;
            const double v = marker ? staleMarker() : static_cast<double>((sec < 9400 ? sec : sec - 9400) % 2001);
            b.samples.push_back(Sample{"dense", Labels(), kT0 + t, v});
            if (t % 30'000 == 0 || t % 30'000 == 16'000)
                b.samples.push_back(Sample{"sparse", Labels(), kT0 + t, v});
            writer->appendWait(std::move(b));
        }
        QVERIFY(writer->flush());
        auto history = openHistory(path);
        // 5-minute windows every 37 minutes (an instant selector's lookback at a month's steps).
        const StepWindows windows{kT0 + 600'000, kT0 + kSpan, 37 * 60'000, 300'000};
        const HistoryReader *readers[] = {history.get(), &history->readerForStep(60'000)};
        for (const HistoryReader *reader : readers) {
            for (const char *metric : {"dense", "sparse"}) {
                auto all = reader->select(named(metric), kT0, kT0 + kSpan);
                auto some = reader->selectWindows(named(metric), kT0, kT0 + kSpan, windows);
                QVERIFY(all && some);
                QCOMPARE(all->size(), std::size_t{1});
                QCOMPARE(some->size(), std::size_t{1});
                SeriesData expected = all->front();
                const std::size_t before = expected.timestampsMs.size();
                StepWindowFilter(windows).keepInWindows(expected.timestampsMs, expected.values, 0);
                QVERIFY2(expected.timestampsMs.size() * 5 < before, metric);
                QCOMPARE(some->front().timestampsMs, expected.timestampsMs);
                for (std::size_t i = 0; i < expected.values.size(); ++i)
                    QCOMPARE(std::bit_cast<std::uint64_t>(some->front().values[i]),
                             std::bit_cast<std::uint64_t>(expected.values[i]));
            }
        }
        // PromQL at those steps answers bit for bit as over every sample, raw and through the tier.
        struct Unwindowed : HistoryReader {
            explicit Unwindowed(const HistoryReader &r) : inner(r) {}
            Result<std::vector<SeriesData>> read(std::span<const LabelMatcher> m, std::int64_t a, std::int64_t b,
                                                 const StepWindows *) const override
            {
                return inner.select(m, a, b);
            }
            const HistoryReader &inner;
        };
        for (const HistoryReader *reader : readers) {
            const Unwindowed everything(*reader);
            for (const char *q :
                 {"dense", "rate(dense[5m])", "sparse", "rate(sparse[5m])", "sparse offset 3m", "resets(dense[4m])"}) {
                auto a = promql::Engine(everything).rangeQuery(q, kT0 + 600'000, kT0 + kSpan, 37 * 60'000);
                auto b = promql::Engine(*reader).rangeQuery(q, kT0 + 600'000, kT0 + kSpan, 37 * 60'000);
                QVERIFY2(a && b, q);
                QCOMPARE(a->matrix.size(), std::size_t{1});
                QCOMPARE(b->matrix.size(), std::size_t{1});
                QVERIFY2(a->matrix[0].points.size() > 5, q);
                QCOMPARE(b->matrix[0].points.size(), a->matrix[0].points.size());
                for (std::size_t i = 0; i < a->matrix[0].points.size(); ++i) {
                    QCOMPARE(b->matrix[0].points[i].timestampMs, a->matrix[0].points[i].timestampMs);
                    QCOMPARE(std::bit_cast<std::uint64_t>(b->matrix[0].points[i].value),
                             std::bit_cast<std::uint64_t>(a->matrix[0].points[i].value));
                }
            }
        }
        // The markers and the reset are inside the windows.
        StepWindowFilter f(windows);
        QVERIFY(f.keep(kT0 + 2'800'000) && f.keep(kT0 + 9'400'000) && f.keep(kT0 + 11'690'000));
    }

    void longReadsDecodeOnTwoThreadsAsOnOne()
    {
        // 24 series of XOR-coded values (~8 bytes a sample, 6 MB of chunks): one select decodes half of
        // them on a second thread. It answers bit for bit what reading each series alone does (one
        // thread), whole and at step windows, with the newest samples only in the head log.
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        constexpr int kSeries = 24;
        constexpr std::int64_t kSamples = 30'000;
        auto writer = openWriter(path);
        std::uint64_t bits = 0x9e3779b97f4a7c15ULL;
        for (std::int64_t i = 0; i < kSamples; ++i) {
            MetricBatch b;
            b.scrapeStartMs = kT0 + i * 1000;
            for (int s = 0; s < kSeries; ++s) {
                bits = bits * 6364136223846793005ULL + 1442695040888963407ULL;
                const double v = i == 777 && s == 5 ? staleMarker() : std::ldexp(static_cast<double>(bits >> 11), -40);
                b.samples.push_back(Sample{"noise", Labels({{"s", std::to_string(s)}}), kT0 + i * 1000, v});
            }
            writer->appendWait(std::move(b));
        }
        QVERIFY(writer->flush());
        auto history = openHistory(path);
        const StepWindows windows{kT0 + 600'000, kT0 + kSamples * 1000, 17 * 60'000, 300'000};
        for (const bool windowed : {false, true}) {
            const std::int64_t from = kT0 + 1'234'567, to = kT0 + kSamples * 1000;
            auto all = windowed ? history->selectWindows(named("noise"), from, to, windows)
                                : history->select(named("noise"), from, to);
            QVERIFY(all);
            QCOMPARE(all->size(), std::size_t{kSeries});
            for (const SeriesData &got : *all) {
                std::vector<LabelMatcher> one = named("noise");
                one.push_back(LabelMatcher{"s", LabelMatcher::Op::Equal, std::string(got.labels.value("s"))});
                auto alone = windowed ? history->selectWindows(one, from, to, windows) : history->select(one, from, to);
                QVERIFY(alone);
                QCOMPARE(alone->size(), std::size_t{1});
                const SeriesData &want = alone->front();
                QVERIFY(want.timestampsMs.size() > (windowed ? 1000u : 20'000u));
                QCOMPARE(got.timestampsMs, want.timestampsMs);
                for (std::size_t i = 0; i < want.values.size(); ++i)
                    QCOMPARE(std::bit_cast<std::uint64_t>(got.values[i]), std::bit_cast<std::uint64_t>(want.values[i]));
            }
        }
    }

    void retentionDeletesOldChunks()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        ManualClock clock(kT0 + 10 * 3'600'000);
        SampleWriterOptions options;
        options.retention = RetentionMs{3 * 3'600'000, 5 * 3'600'000, 0};
        options.retentionInterval = std::chrono::milliseconds(0);
        options.clock = &clock;
        auto writer = openWriter(path, options);
        for (int i = 0; i < 10 * 360; ++i)
            writer->appendWait(batchAt(kT0 + i * 10'000, 1, i));
        QVERIFY(writer->flush());
        QVERIFY(writer->flush()); // a second pass runs a retention slice after the data is committed
        auto history = openHistory(path);
        auto raw = history->select(named("http_requests_total"), INT64_MIN, INT64_MAX);
        QVERIFY(raw);
        // Whole chunks go: nothing ends before the horizon, and a chunk at most reaches back a chunk span.
        const std::int64_t horizon = clock.nowMs() - 3 * 3'600'000;
        QVERIFY(raw->front().timestampsMs.front() > horizon - kMaxChunkSpanMs);
        QVERIFY(raw->front().timestampsMs.front() > kT0 + 3'600'000);
        auto minutes = history->selectRollups(named("http_requests_total"), INT64_MIN, INT64_MAX, kRollup1mMs);
        QVERIFY(minutes);
        QVERIFY(minutes->front().buckets.front().startMs > kT0);
        auto hours = history->selectRollups(named("http_requests_total"), INT64_MIN, INT64_MAX, kRollup1hMs);
        QCOMPARE(hours->front().buckets.front().startMs, bucketOf(kT0, kRollup1hMs));
    }

    void freedPagesGoBackToTheFileSystem()
    {
        // ~38 MB of incompressible samples, then a retention that expires them all: the file gives
        // the freed pages back in 8 MiB slices down to its reserve, instead of only ever growing.
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        auto w = StoreWriter::open(path);
        QVERIFY(w);
        SqliteDb &db = (*w)->db();
        QCOMPARE(pragma(db, "PRAGMA auto_vacuum"), std::int64_t{2}); // incremental, set at creation
        QCOMPARE(pragma(db, "PRAGMA journal_size_limit"), std::int64_t{64} << 20);
        std::uint64_t x = 0x9E3779B97F4A7C15ULL;
        for (int t = 0; t < 4500; ++t) {
            for (int s = 0; s < 1000; ++s) {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                (*w)->add("noise", Labels({{"s", std::to_string(s)}}), kT0 + t * 1000LL, static_cast<double>(x >> 11));
            }
            if (t % 100 == 99)
                QVERIFY((*w)->commit());
        }
        QVERIFY((*w)->checkpointAll());
        QCOMPARE((*w)->releaseFreePages().value_or(-1), std::int64_t{0}); // nothing freed yet
        const std::int64_t pagesBefore = pragma(db, "PRAGMA page_count");
        QVERIFY2(pagesBefore > 8000, std::to_string(pagesBefore).c_str());

        const RetentionMs keep{3'600'000, 3'600'000, 3'600'000};
        for (bool more = true; more;) {
            QVERIFY((*w)->commit());
            auto r = (*w)->enforceRetention(kT0 + 30 * 86'400'000LL, keep, 2000);
            QVERIFY2(r, r ? "" : r.error().message.c_str());
            more = *r;
        }
        QVERIFY(pragma(db, "PRAGMA freelist_count") > StoreWriter::kFreePagesReserve);
        const std::int64_t pagesBeforeRelease = pragma(db, "PRAGMA page_count");
        int calls = 0;
        std::int64_t released = 0;
        for (;;) {
            auto r = (*w)->releaseFreePages();
            QVERIFY2(r, r ? "" : r.error().message.c_str());
            if (*r == 0)
                break;
            QVERIFY(*r <= StoreWriter::kReleasePagesPerCall);
            released += *r;
            ++calls;
            QVERIFY(calls < 100);
        }
        const std::int64_t pagesAfter = pragma(db, "PRAGMA page_count");
        qInfo("%lld pages, %lld released in %d calls, %lld left (%lld free)", static_cast<long long>(pagesBefore),
              static_cast<long long>(released), calls, static_cast<long long>(pagesAfter),
              static_cast<long long>(pragma(db, "PRAGMA freelist_count")));
        QVERIFY(calls >= 2); // in slices
        // Truncating also drops the pointer-map pages that described the released ones.
        QVERIFY2(pagesAfter <= pagesBeforeRelease - released && pagesAfter >= pagesBeforeRelease - released - 64,
                 std::to_string(pagesAfter).c_str());
        QVERIFY(pragma(db, "PRAGMA freelist_count") <=
                std::max(StoreWriter::kFreePagesReserve, pagesAfter / 16) + StoreWriter::kReleasePagesPerCall);
        auto check = db.prepare("PRAGMA integrity_check");
        QVERIFY(check && check->step().value_or(false));
        QCOMPARE(std::string(check->columnText(0)), std::string("ok"));
    }

    void corruptLabelSetIsSetAside()
    {
        // One damaged catalogue row: the history still opens for writing and reading, that series
        // is set aside and reported, every other one is stored and answered as before.
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        {
            auto writer = openWriter(path);
            writer->appendWait(batchAt(kT0, 3, 1)); // /r0, /r1, /r2: ids 1, 2, 3
            QVERIFY(writer->flush());
        }
        {
            auto db = SqliteDb::open(path);
            QVERIFY(db);
            // A label blob whose first length prefix runs past its end.
            QVERIFY(db->exec("UPDATE series SET labels = x'FFFFFFFF' WHERE id = 2"));
        }
        auto writer = openWriter(path);
        QCOMPARE(writer->status().quarantinedSeries, std::uint64_t{1});
        QCOMPARE(writer->status().firstQuarantinedId, std::int64_t{2});
        writer->appendWait(batchAt(kT0 + 1000, 3, 5)); // /r1 comes back as a new series
        QVERIFY(writer->flush());
        auto history = openHistory(path);
        auto all = history->select(named("http_requests_total"), INT64_MIN, INT64_MAX);
        QVERIFY2(all, all ? "" : all.error().message.c_str());
        QCOMPARE(all->size(), std::size_t{3});
        for (const SeriesData &s : *all) {
            if (s.labels.value("route") == "/r1")
                QCOMPARE(s.values, std::vector<double>{6}); // only what came after, under a new id
            else
                QCOMPARE(s.values.size(), std::size_t{2});
        }
        // A matcher that lands on the damaged row's labels (the series_label index still has them).
        auto one =
            history->select(std::vector<LabelMatcher>{{"route", LabelMatcher::Op::Equal, "/r1"}}, INT64_MIN, INT64_MAX);
        QVERIFY2(one, one ? "" : one.error().message.c_str());
        QCOMPARE(one->size(), std::size_t{1});
    }

    void fullQueueDropsAndCounts()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        SampleWriterOptions options;
        options.queueCapacity = 10;
        auto writer = openWriter(path, options);
        std::uint64_t sent = 0;
        for (int i = 0; i < 2000; ++i) {
            writer->append(batchAt(kT0 + i, 5, i));
            sent += 5;
        }
        QVERIFY(writer->flush());
        const WriterStatus s = writer->status();
        QCOMPARE(s.committedSamples + s.droppedSamples, sent);
        QVERIFY(s.droppedSamples > 0);
    }

    void foreignAndCorruptFilesAreLeftAlone_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addRow("text") << QByteArray("hello, this is not a database\n");
        QByteArray fakeHeader("SQLite format 3");
        fakeHeader.append('\0');
        fakeHeader.append(QByteArray(4080, '\x5a'));
        QTest::addRow("corrupt sqlite") << fakeHeader;
    }

    void foreignAndCorruptFilesAreLeftAlone()
    {
        QFETCH(QByteArray, content);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("x.db"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        auto writer = SampleWriter::open(file.toStdString());
        QVERIFY(!writer);
        QVERIFY2(writer.error().message.find("left untouched") != std::string::npos, writer.error().message.c_str());
        QVERIFY(!SqliteHistory::open(file.toStdString()));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), content);
        QVERIFY(!QFile::exists(file + QStringLiteral("-wal")));
    }

    void otherApplicationsDatabaseIsLeftAlone()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("other.db")).toStdString();
        {
            auto db = SqliteDb::open(path);
            QVERIFY(db);
            QVERIFY(db->exec("CREATE TABLE notes(text TEXT); INSERT INTO notes VALUES ('keep me')"));
        }
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray before = f.readAll();
        f.close();
        auto writer = SampleWriter::open(path);
        QVERIFY(!writer);
        QVERIFY2(writer.error().message.find("another application") != std::string::npos,
                 writer.error().message.c_str());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
    }

    void olderSchemaIsMigratedForward()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        {
            auto writer = openWriter(path);
            writer->appendWait(batchAt(kT0, 2, 1));
        }
        {
            // Turn the file back into a version-1 database.
            auto db = SqliteDb::open(path);
            QVERIFY(db);
            QVERIFY(db->exec(
                "DROP INDEX chunk_by_end; DROP INDEX rollup_by_end; DROP TABLE head_log; DROP TABLE catalogue; "
                "DROP TABLE log_text; DROP TABLE log_block; DROP TABLE log_block_data; DROP TABLE log_position; "
                "DROP TABLE log_stats; "
                "DELETE FROM schema_version WHERE version > 1; PRAGMA user_version = 1"));
        }
        QVERIFY(!SqliteHistory::open(path)); // readers never migrate
        openWriter(path).reset();
        auto db = SqliteDb::open(path);
        QVERIFY(db);
        auto check = db->prepare("SELECT (SELECT max(version) FROM schema_version), "
                                 "(SELECT count(*) FROM sqlite_schema WHERE name = 'chunk_by_end')");
        QVERIFY(check && check->step());
        QCOMPARE(check->columnInt(0), std::int64_t{StoreSchema::kSchemaVersion});
        QCOMPARE(check->columnInt(1), std::int64_t{1});
        auto history = openHistory(path);
        auto all = history->select(named("http_requests_total"), 0, INT64_MAX);
        QVERIFY(all);
        QCOMPARE(all->size(), std::size_t{2});
    }

    void newerSchemaIsRefused()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        openWriter(path).reset();
        {
            auto db = SqliteDb::open(path);
            QVERIFY(db);
            QVERIFY(db->exec("PRAGMA user_version = 99"));
            auto versions = db->prepare("SELECT count(*) FROM schema_version");
            QVERIFY(versions && versions->step());
            QCOMPARE(versions->columnInt(0), std::int64_t{StoreSchema::kSchemaVersion});
        }
        auto writer = SampleWriter::open(path);
        QVERIFY(!writer);
        QVERIFY2(writer.error().message.find("newer Pulseboard") != std::string::npos, writer.error().message.c_str());
    }
};

QTEST_APPLESS_MAIN(TestSqliteHistory)
#include "tst_sqlite_history.moc"
