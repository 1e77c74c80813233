// The rollup tiers end to end: which series keep 1-minute buckets at ingest, the planner's fallback to
// raw samples where buckets are not stored, downsampling when raw chunks expire, bucket boundaries
// (start, start + resolution], and restarts in the middle of a bucket.
#include "storage/rollup_codec.h"
#include "storage/rollup_track.h"
#include "storage/series_head.h"
#include "storage/sqlite_history.h"
#include "storage/store_writer.h"

#include "core/promql/engine.h"

#include <QTemporaryDir>
#include <QTest>

#include <bit>
#include <cmath>

using namespace pulse;
using namespace pulse::storage;

namespace {

constexpr std::int64_t kT0 = 1'699'999'200'000; // a round hour
constexpr std::int64_t kHour = 3'600'000;

double counterAt(std::int64_t i)
{
    return static_cast<double>(i * 7 + i % 3);
}

double gaugeAt(std::int64_t i)
{
    return static_cast<double>(i % 97) / 4;
}

std::unique_ptr<StoreWriter> openStore(const std::string &path)
{
    auto w = StoreWriter::open(path);
    if (!w)
        qFatal("%s", w.error().message.c_str());
    return std::move(*w);
}

std::unique_ptr<SqliteHistory> openHistory(const std::string &path)
{
    auto h = SqliteHistory::open(path);
    if (!h)
        qFatal("%s", h.error().message.c_str());
    return std::move(*h);
}

// writeSeries adds `count` samples of `metric` every `intervalMs` from `firstMs` (gauge values when
// `gauge`, else a counter) and commits.
void writeSeries(StoreWriter &w, const std::string &metric, std::int64_t firstMs, std::int64_t intervalMs,
                 std::int64_t count, bool gauge = false)
{
    for (std::int64_t i = 0; i < count; ++i)
        w.add(metric, Labels({{"job", "a"}}), firstMs + i * intervalMs, gauge ? gaugeAt(i) : counterAt(i));
    if (auto r = w.commit(); !r)
        qFatal("%s", r.error().message.c_str());
}

std::int64_t storedRows(const std::string &path, std::int64_t resolutionMs)
{
    auto db = SqliteDb::open(path);
    auto s = db->prepare("SELECT (SELECT count(*) FROM rollup_chunk WHERE resolution_ms = ?1) + "
                         "(SELECT count(*) FROM rollup_head WHERE resolution_ms = ?1)");
    s->bind(1, resolutionMs);
    return s->step() && s->columnInt(0) >= 0 ? s->columnInt(0) : -1;
}

// storedBuckets decodes every stored bucket at `resolutionMs` (all series), in row order.
std::vector<RollupBucket> storedBuckets(const std::string &path, std::int64_t resolutionMs)
{
    std::vector<RollupBucket> out;
    auto db = SqliteDb::open(path);
    auto s = db->prepare("SELECT data FROM rollup_chunk WHERE resolution_ms = ?1 UNION ALL "
                         "SELECT data FROM rollup_head WHERE resolution_ms = ?1");
    s->bind(1, resolutionMs);
    while (auto row = s->step()) {
        if (!*row)
            break;
        if (!decodeRollups(s->columnText(0), INT64_MIN, INT64_MAX, out))
            qFatal("corrupt rollup row");
    }
    return out;
}

// sameAnswer is empty when both results have the same series, timestamps and bit-identical values.
QString sameAnswer(const Result<promql::QueryResult> &a, const Result<promql::QueryResult> &b)
{
    if (!a || !b)
        return QStringLiteral("query failed: %1")
            .arg(QString::fromStdString(!a ? a.error().message : b.error().message));
    if (a->matrix.size() != b->matrix.size())
        return QStringLiteral("%1 series vs %2").arg(a->matrix.size()).arg(b->matrix.size());
    for (std::size_t s = 0; s < a->matrix.size(); ++s) {
        const auto &x = a->matrix[s].points;
        const auto &y = b->matrix[s].points;
        if (a->matrix[s].labels.toString() != b->matrix[s].labels.toString() || x.size() != y.size())
            return QStringLiteral("series %1: %2 points vs %3").arg(s).arg(x.size()).arg(y.size());
        for (std::size_t i = 0; i < x.size(); ++i) {
            if (x[i].timestampMs != y[i].timestampMs ||
                std::bit_cast<std::uint64_t>(x[i].value) != std::bit_cast<std::uint64_t>(y[i].value))
                return QStringLiteral("series %1 point %2: %3@%4 vs %5@%6")
                    .arg(s)
                    .arg(i)
                    .arg(x[i].value, 0, 'g', 17)
                    .arg(x[i].timestampMs)
                    .arg(y[i].value, 0, 'g', 17)
                    .arg(y[i].timestampMs);
        }
    }
    return {};
}

// compareWithRaw evaluates `expr` at `stepMs` over raw samples and through the planner.
QString compareWithRaw(const SqliteHistory &h, const char *expr, std::int64_t startMs, std::int64_t endMs,
                       std::int64_t stepMs)
{
    const auto raw = promql::Engine(h).rangeQuery(expr, startMs, endMs, stepMs);
    if (raw && raw->matrix.empty())
        return QStringLiteral("the raw answer is empty");
    return sameAnswer(raw, promql::Engine(h.readerForStep(stepMs)).rangeQuery(expr, startMs, endMs, stepMs));
}

std::vector<LabelMatcher> named(const std::string &metric)
{
    return {LabelMatcher{"__name__", LabelMatcher::Op::Equal, metric}};
}

} // namespace

class TestRollupTiers : public QObject {
    Q_OBJECT
private slots:
    void denseTrackSwitchesWithHysteresis()
    {
        RollupTrack track(kRollup1mMs, RollupTrack::Policy::DenseOnly);
        SealedChunks sealed;
        std::optional<std::int64_t> previous;
        auto feed = [&](std::int64_t fromMs, std::int64_t toMs, std::int64_t everyMs) {
            for (std::int64_t t = fromMs; t <= toMs; t += everyMs) {
                track.add(1, t, 1.0, previous, sealed);
                previous = t;
            }
        };
        feed(kT0 + 15'000, kT0 + 10 * 60'000, 15'000); // 4 a minute: sparse
        QVERIFY(!track.dense());
        QVERIFY(!track.hasHeadRow());
        feed(kT0 + 10 * 60'000 + 5'000, kT0 + 20 * 60'000, 5'000); // 12 a minute: dense
        QVERIFY(track.dense());
        feed(kT0 + 20 * 60'000 + 7'500, kT0 + 30 * 60'000, 7'500); // 8 a minute: stays dense
        QVERIFY(track.dense());
        feed(kT0 + 30 * 60'000 + 15'000, kT0 + 40 * 60'000, 15'000); // 4 a minute: sparse again
        QVERIFY(!track.dense());
        QVERIFY(sealed.empty());
        std::vector<RollupBucket> kept;
        QVERIFY(decodeRollups(track.headBytes(), INT64_MIN, INT64_MAX, kept));
        // Kept: the 20 minutes closed while dense. The first 4-a-minute one turns the track sparse as it
        // closes and is dropped, like the 4-a-minute ones before the track turned dense.
        QCOMPARE(kept.size(), std::size_t{20});
        QCOMPARE(kept.front().startMs, kT0 + 10 * 60'000);
        QCOMPARE(kept.front().count, std::int64_t{12});
        QCOMPARE(kept.back().startMs, kT0 + 29 * 60'000);
        QCOMPARE(kept.back().count, std::int64_t{8});
    }

    void firstRollupChunkSealsEarly()
    {
        // All series start together: a 1-minute track's first chunk seals at kFirstSealBuckets, later
        // ones at their full size, and every closed bucket is in exactly one sealed chunk or the head.
        SeriesHead head(7);
        SealedChunks sealed;
        const int minutes = 6 * 60 + 2;
        for (std::int64_t t = kT0 + 1000; t <= kT0 + minutes * 60'000; t += 1000)
            QVERIFY(head.append(t, static_cast<double>(t % 7), sealed));
        std::vector<int> perMinuteChunk, perHourChunk;
        for (const SealedChunk &c : sealed) {
            if (c.resolutionMs == kRollup1mMs)
                perMinuteChunk.push_back(c.count);
            else if (c.resolutionMs == kRollup1hMs)
                perHourChunk.push_back(c.count);
        }
        QVERIFY(perMinuteChunk.size() > 3);
        QCOMPARE(perMinuteChunk.front(), kFirstSealBuckets);
        for (std::size_t i = 1; i < perMinuteChunk.size(); ++i)
            QCOMPARE(perMinuteChunk[i], kSeal1mBuckets);
        QVERIFY(perHourChunk.empty()); // 1-hour chunks seal at kSeal1hBuckets, from the first one on
        std::vector<RollupBucket> closed;
        QVERIFY(decodeRollups(head.rollup1m().headBytes(), INT64_MIN, INT64_MAX, closed));
        int total = static_cast<int>(closed.size());
        for (int n : perMinuteChunk)
            total += n;
        QCOMPARE(total, minutes - 1); // the open minute is not in the row of a dense track
    }

    void sparseSeriesStoresNoMinuteBucketsAndAnswersLikeRaw()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        auto w = openStore(path);
        writeSeries(*w, "counter", kT0, 15'000, 3 * 240);
        writeSeries(*w, "gauge", kT0, 15'000, 3 * 240, true);
        QCOMPARE(storedRows(path, kRollup1mMs), std::int64_t{0});
        QVERIFY(storedRows(path, kRollup1hMs) > 0);
        auto h = openHistory(path);
        for (const char *q : {"counter", "gauge", "rate(counter[5m])", "increase(counter[2m])",
                              "max_over_time(gauge[3m])", "count_over_time(gauge[1m])", "sum(gauge)"})
            QVERIFY2(compareWithRaw(*h, q, kT0, kT0 + 3 * kHour, 60'000).isEmpty(),
                     qPrintable(QString::fromLatin1(q) + QStringLiteral(": ") +
                                compareWithRaw(*h, q, kT0, kT0 + 3 * kHour, 60'000)));
        // The buckets are still there for charts, computed from the raw samples.
        auto minutes = h->selectRollups(named("gauge"), kT0, kT0 + 3 * kHour, kRollup1mMs);
        QVERIFY(minutes);
        QCOMPARE(minutes->front().buckets.size(), std::size_t{180});
        const RollupBucket &b = minutes->front().buckets[1];
        QCOMPARE(b.startMs, kT0 + 60'000);
        QCOMPARE(b.count, std::int64_t{4});
        QCOMPARE(b.sum, gaugeAt(5) + gaugeAt(6) + gaugeAt(7) + gaugeAt(8));
        QCOMPARE(b.lastTimestampMs, kT0 + 120'000);
    }

    void denseSeriesStoresMinuteBuckets()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        auto w = openStore(path);
        writeSeries(*w, "gauge", kT0, 1000, 1801, true);
        QVERIFY(storedRows(path, kRollup1mMs) > 0);
        auto h = openHistory(path);
        // Minutes 0-28 are closed and stored; minute 29 is still open (its last sample is the newest),
        // so readers take it from the raw samples rather than from a row rewritten at every sample.
        auto open = h->selectTier(named("gauge"), kT0 + 29 * 60'000, kT0 + 29 * 60'000, kRollup1mMs);
        QVERIFY(open);
        QVERIFY(open->front().buckets.empty());
        QCOMPARE(open->front().raw.timestampsMs.size(), std::size_t{60});
        auto tier = h->selectTier(named("gauge"), kT0, kT0 + 28 * 60'000, kRollup1mMs);
        QVERIFY(tier);
        QCOMPARE(tier->size(), std::size_t{1});
        QCOMPARE(tier->front().buckets.size(), std::size_t{29});
        QVERIFY(tier->front().raw.timestampsMs.empty());
        for (const RollupBucket &b : tier->front().buckets) {
            QCOMPARE(b.count, std::int64_t{60});
            QCOMPARE(b.lastTimestampMs, b.startMs + 60'000);
        }
        // The planner reads a point per stored minute, and raw samples where none is stored: the first
        // sample (alone in its minute) and the 60 of the open minute.
        auto points = h->readerForStep(60'000).select(named("gauge"), kT0, kT0 + 30 * 60'000);
        QVERIFY(points);
        QCOMPARE(points->front().timestampsMs.size(), std::size_t{1 + 29 + 60});
        QCOMPARE(points->front().timestampsMs.front(), kT0);
    }

    void alignedStepsOverAlignedScrapesMatchRaw()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        auto w = openStore(path);
        writeSeries(*w, "dense", kT0, 1000, 1801, true);
        writeSeries(*w, "sparse", kT0, 15'000, 5 * 240 + 1);
        auto h = openHistory(path);
        // Minute steps from the first sample on: the 1-minute buckets of the dense series, raw for the
        // sparse one. Every step, the first included, answers with the sample taken at the step.
        QVERIFY2(compareWithRaw(*h, "dense", kT0, kT0 + 30 * 60'000, 60'000).isEmpty(),
                 qPrintable(compareWithRaw(*h, "dense", kT0, kT0 + 30 * 60'000, 60'000)));
        auto planned = promql::Engine(h->readerForStep(60'000)).rangeQuery("dense", kT0, kT0 + 30 * 60'000, 60'000);
        QVERIFY(planned);
        QCOMPARE(planned->matrix.front().points.size(), std::size_t{31});
        QCOMPARE(planned->matrix.front().points[1].value, gaugeAt(60));
        // Hour steps over the 1-hour buckets, which every series stores.
        for (const char *q : {"dense", "sparse"})
            QVERIFY2(compareWithRaw(*h, q, kT0, kT0 + 5 * kHour, kHour).isEmpty(),
                     qPrintable(compareWithRaw(*h, q, kT0, kT0 + 5 * kHour, kHour)));
    }

    void rateOverDenseBucketsAgreesWithRaw()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        auto w = openStore(path);
        // A counter rising by 1 a second, scraped every 2 s for 3 hours: dense, so the planner reads its
        // 1-minute buckets' last samples (30 times fewer points).
        for (std::int64_t i = 0; i <= 3 * 1800; ++i)
            w->add("steady", Labels({{"job", "a"}}), kT0 + i * 2000, static_cast<double>(i * 2));
        QVERIFY(w->commit());
        auto h = openHistory(path);
        auto planned = h->readerForStep(300'000).select(named("steady"), kT0 + kHour, kT0 + 2 * kHour);
        QVERIFY(planned && planned->size() == 1);
        QCOMPARE(planned->front().timestampsMs.size(), std::size_t{61});
        const char *q = "rate(steady[10m])";
        auto raw = promql::Engine(*h).rangeQuery(q, kT0 + kHour, kT0 + 2 * kHour, 300'000);
        auto coarse = promql::Engine(h->readerForStep(300'000)).rangeQuery(q, kT0 + kHour, kT0 + 2 * kHour, 300'000);
        QVERIFY(raw && coarse && raw->matrix.size() == 1 && coarse->matrix.size() == 1);
        QCOMPARE(raw->matrix[0].points.size(), coarse->matrix[0].points.size());
        for (std::size_t i = 0; i < raw->matrix[0].points.size(); ++i)
            QVERIFY(std::fabs(raw->matrix[0].points[i].value - coarse->matrix[0].points[i].value) < 1e-9);
    }

    void expiredSparseChunksAreDownsampled()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        const std::string reference = dir.filePath(QStringLiteral("ref.db")).toStdString();
        constexpr std::int64_t kSamples = 10 * 240; // 10 hours at 15 s
        auto w = openStore(path);
        writeSeries(*w, "counter", kT0, 15'000, kSamples);
        writeSeries(*w, "gauge", kT0, 15'000, kSamples, true);
        writeSeries(*openStore(reference), "counter", kT0, 15'000, kSamples);
        QCOMPARE(storedRows(path, kRollup1mMs), std::int64_t{0});

        const RetentionMs keep{3 * kHour, 0, 0};
        const std::int64_t now = kT0 + 10 * kHour;
        for (int slice = 0;; ++slice) {
            auto more = w->enforceRetention(now, keep, 8);
            QVERIFY2(more, more ? "" : more.error().message.c_str());
            if (!*more)
                break;
            QVERIFY(slice < 100);
        }
        // Every sealed chunk that ended before the horizon (now − 3 h) goes, in both series.
        constexpr std::int64_t kChunkSpanMs = kSealSamples * 15'000;
        const auto expiredPerSeries = static_cast<std::uint64_t>((now - 3 * kHour - kT0) / kChunkSpanMs);
        QVERIFY(expiredPerSeries >= 2);
        QCOMPARE(w->counters().deletedChunks, 2 * expiredPerSeries);
        QVERIFY(w->counters().downsampledBuckets > 0);
        auto h = openHistory(path);
        auto raw = h->select(named("counter"), INT64_MIN, INT64_MAX);
        QVERIFY(raw);
        QVERIFY(raw->front().timestampsMs.front() >= now - 3 * kHour - kMaxChunkSpanMs);
        QVERIFY(raw->front().timestampsMs.front() > kT0 + 5 * kHour);

        // The 1-minute buckets of the expired hours are stored and equal those of the raw samples.
        std::vector<std::int64_t> ts;
        std::vector<double> values;
        for (std::int64_t i = 0; i < kSamples; ++i) {
            ts.push_back(kT0 + i * 15'000);
            values.push_back(gaugeAt(i));
        }
        std::vector<RollupBucket> expected;
        appendBuckets(ts, values, kRollup1mMs, expected);
        auto minutes = h->selectTier(named("gauge"), INT64_MIN, INT64_MAX, kRollup1mMs);
        QVERIFY(minutes);
        const auto &stored = minutes->front().buckets;
        QVERIFY(stored.size() >= 5 * 60);
        QCOMPARE(stored.front().startMs, expected.front().startMs);
        for (std::size_t i = 0; i < stored.size(); ++i)
            QCOMPARE(stored[i], expected[i]);
        // And a 1-minute-step query over all ten hours answers as raw samples did before retention.
        auto before = openHistory(reference);
        const auto rawAnswer = promql::Engine(*before).rangeQuery("counter", kT0, now, 60'000);
        const auto planned = promql::Engine(h->readerForStep(60'000)).rangeQuery("counter", kT0, now, 60'000);
        QVERIFY2(sameAnswer(rawAnswer, planned).isEmpty(), qPrintable(sameAnswer(rawAnswer, planned)));
    }

    void bucketSplitAcrossChunksIsStoredOnceAndComplete()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        auto w = openStore(path);
        // From kT0 + 30 s the first chunk (kSealSamples samples, S = kSealSamples × 15 s) ends at
        // kT0 + S + 15 s, inside the minute (kT0 + S, kT0 + S + 60 s], whose other three samples open
        // the second chunk.
        constexpr std::int64_t kChunkSpanMs = kSealSamples * 15'000;
        static_assert(kChunkSpanMs % 60'000 == 0);
        writeSeries(*w, "gauge", kT0 + 30'000, 15'000, 3 * kSealSamples + 10, true);
        const std::int64_t split = kT0 + kChunkSpanMs;
        auto expire = [&](std::int64_t horizonMs) {
            for (;;) {
                auto more = w->enforceRetention(horizonMs + kHour, RetentionMs{kHour, 0, 0}, 2000);
                QVERIFY(more);
                if (!*more)
                    break;
            }
        };
        auto bucketsAt = [&](std::int64_t startMs) {
            std::vector<RollupBucket> found;
            for (const RollupBucket &b : storedBuckets(path, kRollup1mMs))
                if (b.startMs == startMs)
                    found.push_back(b);
            return found;
        };
        expire(split + 16'000); // the first chunk only
        QCOMPARE(w->counters().deletedChunks, std::uint64_t{1});
        auto once = bucketsAt(split);
        QCOMPARE(once.size(), std::size_t{1});
        QCOMPARE(once.front().count, std::int64_t{4});
        QCOMPARE(once.front().lastTimestampMs, split + 60'000);
        expire(split + kChunkSpanMs + 16'000); // and the second
        QCOMPARE(w->counters().deletedChunks, std::uint64_t{2});
        auto still = bucketsAt(split);
        QCOMPARE(still.size(), std::size_t{1});
        QCOMPARE(still.front(), once.front());
        QCOMPARE(bucketsAt(split + 60'000).size(), std::size_t{1});
        auto h = openHistory(path);
        auto answer = promql::Engine(h->readerForStep(60'000)).rangeQuery("gauge", split, split + 120'000, 60'000);
        QVERIFY(answer && answer->matrix.size() == 1);
        // (split + 60 s − (kT0 + 30 s)) / 15 s = kSealSamples + 2: the sample at each step.
        QCOMPARE(answer->matrix.front().points[1].value, gaugeAt(kSealSamples + 2));
        QCOMPARE(answer->matrix.front().points[2].value, gaugeAt(kSealSamples + 6));
    }

    void retentionRunsInBoundedSlicesBetweenCommits()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        auto w = openStore(path);
        for (int s = 0; s < 20; ++s)
            writeSeries(*w, "s" + std::to_string(s), kT0, 15'000, 5 * 240);
        const RetentionMs keep{kHour, 0, 0};
        const std::int64_t now = kT0 + 5 * kHour;
        auto first = w->enforceRetention(now, keep, 8);
        QVERIFY(first && *first);
        QCOMPARE(w->counters().deletedChunks, std::uint64_t{2}); // a quarter of 8: they are downsampled
        // Pending samples come first: no slice runs until they are committed.
        w->add("s0", Labels({{"job", "a"}}), now, 1);
        auto waiting = w->enforceRetention(now, keep, 8);
        QVERIFY(waiting && *waiting);
        QCOMPARE(w->counters().deletedChunks, std::uint64_t{2});
        int slices = 0;
        for (bool more = true; more; ++slices) {
            QVERIFY(w->commit());
            auto r = w->enforceRetention(now, keep, 8);
            QVERIFY(r);
            more = *r;
        }
        // Each series' sealed chunks that ended before the horizon (its first four hours) go, two a slice.
        constexpr std::int64_t kChunkSpanMs = kSealSamples * 15'000;
        constexpr auto kExpiredPerSeries = static_cast<std::uint64_t>((4 * kHour) / kChunkSpanMs);
        static_assert(kExpiredPerSeries >= 1);
        QCOMPARE(w->counters().deletedChunks, std::uint64_t{20 * kExpiredPerSeries});
        QCOMPARE(slices, static_cast<int>(20 * kExpiredPerSeries / 2));
    }

    void restartsInTheMiddleOfABucket()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        writeSeries(*openStore(path), "dense", kT0, 1000, 91, true);
        // "late" is sparse before the restart, so its open minute is not stored, and dense after it.
        writeSeries(*openStore(path), "late", kT0, 15'000, 3);
        {
            auto w = openStore(path);
            for (std::int64_t i = 91; i <= 240; ++i)
                w->add("dense", Labels({{"job", "a"}}), kT0 + i * 1000, gaugeAt(i));
            for (std::int64_t t = 31; t <= 240; ++t)
                w->add("late", Labels({{"job", "a"}}), kT0 + t * 1000, counterAt(t));
            QVERIFY(w->commit());
        }
        auto h = openHistory(path);
        auto dense = h->selectTier(named("dense"), kT0, kT0 + 3 * 60'000, kRollup1mMs);
        QVERIFY(dense);
        // Minute 1 was open at the restart (not in the row, so dropped as incomplete) and minute 3 is open
        // now: both are read from their raw samples; minutes 0 and 2 are stored.
        QCOMPARE(dense->front().buckets.size(), std::size_t{2});
        QCOMPARE(dense->front().buckets[1].startMs, kT0 + 120'000);
        QCOMPARE(dense->front().buckets[1].count, std::int64_t{60});
        QCOMPARE(dense->front().raw.timestampsMs.size(), std::size_t{120});
        // The minute "late" was in at the restart is incomplete in memory: not stored, read from raw.
        auto late = h->selectTier(named("late"), kT0, kT0 + 3 * 60'000, kRollup1mMs);
        QVERIFY(late);
        QVERIFY(late->front().buckets.front().startMs > kT0);
        QCOMPARE(late->front().raw.timestampsMs.front(), kT0 + 15'000);
        auto minutes = h->selectRollups(named("late"), kT0, kT0, kRollup1mMs);
        QVERIFY(minutes);
        QCOMPARE(minutes->front().buckets.front().count, std::int64_t{2 + 30});
        for (const char *q : {"dense", "late"})
            QVERIFY2(compareWithRaw(*h, q, kT0, kT0 + 4 * 60'000, 60'000).isEmpty(),
                     qPrintable(compareWithRaw(*h, q, kT0, kT0 + 4 * 60'000, 60'000)));
    }
};

QTEST_APPLESS_MAIN(TestRollupTiers)
#include "tst_rollup_tiers.moc"
