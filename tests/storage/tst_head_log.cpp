// The head log (storage/head_log.h): a commit costs one log row plus a checkpoint slice of head rows,
// not a row per changed series; readers see every committed sample without replay (bit for bit, raw
// and rolled up); a writer that stops without a checkpoint (a crash) resumes exactly from the rows plus
// the log; the log stays bounded; a clean stop leaves no log behind.
#include "core/base/varint.h"
#include "sql_scalar.h"
#include "storage/head_log.h"
#include "storage/rollup_bucket.h"
#include "storage/series_head.h"
#include "storage/sqlite_db.h"
#include "storage/sqlite_history.h"
#include "storage/store_writer.h"

#include <QTemporaryDir>
#include <QTest>

#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>
#include <vector>

using namespace pulse;
using namespace pulse::storage;
using pulse::storage::test::sqlScalar;

namespace {

constexpr std::int64_t kT0 = 1'699'999'200'000; // a round hour
constexpr int kSeries = 500;

// valueAt mixes the shapes a node_exporter payload has: integral counters, two-decimal counters,
// gauges that wander, constants, and a stale marker now and then.
double valueAt(int series, std::int64_t i)
{
    switch (series % 5) {
    case 0: return static_cast<double>(i * (series + 1));
    case 1: return std::round(static_cast<double>(i) * 14.97 * 100) / 100;
    case 2: return std::sin(static_cast<double>(i + series) / 10) * 1e6;
    case 3: return 1e11 + series;
    default: return i % 50 == 49 ? std::bit_cast<double>(std::uint64_t{0x7ff0000000000002}) : static_cast<double>(i % 7);
    }
}

Labels labelsOf(int series)
{
    return Labels({{"job", "node"}, {"series", std::to_string(series)}});
}

/// Written is what the test handed to the writer: per series, timestamps and value bits.
using Written = std::map<int, std::vector<std::pair<std::int64_t, std::uint64_t>>>;

// addRound adds one sample to every series at kT0 + i seconds.
void addRound(StoreWriter &w, std::int64_t i, Written &written)
{
    for (int s = 0; s < kSeries; ++s) {
        const double v = valueAt(s, i);
        w.add("m", labelsOf(s), kT0 + i * 1000, v);
        written[s].emplace_back(kT0 + i * 1000, std::bit_cast<std::uint64_t>(v));
    }
}

// answers checks that `history` answers the series `matchers` select exactly as `written` has them
// (timestamps and value bits), and that there are `expectedSeries` of them.
QString answers(SqliteHistory &history, const std::vector<LabelMatcher> &matchers, const Written &written,
                std::size_t expectedSeries)
{
    auto all = history.select(matchers, INT64_MIN, INT64_MAX);
    if (!all)
        return QString::fromStdString(all.error().message);
    if (all->size() != expectedSeries)
        return QStringLiteral("%1 series, expected %2").arg(all->size()).arg(expectedSeries);
    for (const SeriesData &d : *all) {
        const int s = std::stoi(std::string(d.labels.value("series")));
        const auto &want = written.at(s);
        if (d.timestampsMs.size() != want.size())
            return QStringLiteral("series %1: %2 samples, expected %3").arg(s).arg(d.timestampsMs.size()).arg(want.size());
        for (std::size_t i = 0; i < want.size(); ++i) {
            if (d.timestampsMs[i] != want[i].first || std::bit_cast<std::uint64_t>(d.values[i]) != want[i].second)
                return QStringLiteral("series %1 differs at sample %2").arg(s).arg(i);
        }
    }
    return {};
}

// readBack checks that the file answers exactly `written`.
QString readBack(const std::string &path, const Written &written)
{
    auto h = SqliteHistory::open(path);
    if (!h)
        return QString::fromStdString(h.error().message);
    return answers(**h, {{"__name__", LabelMatcher::Op::Equal, "m"}}, written, written.size());
}

// rollupsMatchRaw checks that the rollups readers compute from rows + log equal buckets built from the
// raw samples they return.
QString rollupsMatchRaw(const std::string &path, std::int64_t resolutionMs)
{
    auto h = SqliteHistory::open(path);
    if (!h)
        return QString::fromStdString(h.error().message);
    const std::vector<LabelMatcher> all{{"__name__", LabelMatcher::Op::Equal, "m"}};
    auto raw = (*h)->select(all, INT64_MIN, INT64_MAX);
    auto rolled = (*h)->selectRollups(all, INT64_MIN, INT64_MAX, resolutionMs);
    if (!raw || !rolled || raw->size() != rolled->size())
        return QStringLiteral("cannot read both");
    for (std::size_t i = 0; i < raw->size(); ++i) {
        std::vector<RollupBucket> expected;
        appendBuckets((*raw)[i].timestampsMs, (*raw)[i].values, resolutionMs, expected);
        const auto &got = (*rolled)[i].buckets;
        if (got.size() != expected.size())
            return QStringLiteral("series %1: %2 buckets, expected %3").arg(i).arg(got.size()).arg(expected.size());
        for (std::size_t b = 0; b < got.size(); ++b) {
            if (got[b].startMs != expected[b].startMs || got[b].count != expected[b].count ||
                got[b].lastTimestampMs != expected[b].lastTimestampMs)
                return QStringLiteral("series %1 bucket %2 differs").arg(i).arg(b);
        }
    }
    return {};
}

} // namespace

class TestHeadLog : public QObject {
    Q_OBJECT
private slots:
    void codecRoundTripsBitExact()
    {
        HeadLogEncoder enc;
        const std::int64_t ids[] = {1, 300, 1, 1LL << 40, 2, 3, 4, 5, 6, 7, 8, 9};
        const std::int64_t times[] = {kT0, kT0, kT0 - 5000, -1'000'000'000'000'000, kT0, kT0, kT0, kT0, kT0, kT0, kT0, kT0};
        const double values[] = {0.1,
                                 -0.0,
                                 std::bit_cast<double>(std::uint64_t{0x7ff0000000000002}), // a staleness marker
                                 1e308,
                                 12345.67,
                                 -3,
                                 9007199254740992.0, // 2^53: the largest exact integer
                                 9007199254740994.0, // beyond it: raw bits
                                 1e-7,               // more than 6 decimals: raw bits
                                 0.000001,
                                 std::numeric_limits<double>::infinity(),
                                 0};
        constexpr int kCount = static_cast<int>(std::size(values));
        for (int i = 0; i < kCount; ++i)
            enc.add(ids[i], times[i], values[i]);
        QCOMPARE(enc.count(), std::size_t{kCount});
        int n = 0;
        auto r = decodeHeadLog(enc.bytes(), [&](std::int64_t id, std::int64_t ts, double v) {
            QCOMPARE(id, ids[n]);
            QCOMPARE(ts, times[n]);
            QCOMPARE(std::bit_cast<std::uint64_t>(v), std::bit_cast<std::uint64_t>(values[n]));
            ++n;
        });
        QVERIFY(r);
        QCOMPARE(n, kCount);
        // Cut inside the last sample (its one-byte value) and inside the raw bits of the one before.
        const std::string &bytes = enc.bytes();
        QVERIFY(!decodeHeadLog(bytes.substr(0, bytes.size() - 1), [](std::int64_t, std::int64_t, double) {}));
        QVERIFY(!decodeHeadLog(bytes.substr(0, bytes.size() - 5), [](std::int64_t, std::int64_t, double) {}));
    }

    void knownDecimalsRoundTrip()
    {
        // The writer passes the digit count of the decimal chunk that just took the value: exactly
        // enough, or more than needed.
        HeadLogEncoder enc;
        enc.add(1, kT0, 12.5, 1);
        enc.add(2, kT0, 12.5, 3);
        enc.add(3, kT0, -0.001, 6);
        std::vector<double> got;
        QVERIFY(decodeHeadLog(enc.bytes(), [&](std::int64_t, std::int64_t, double v) { got.push_back(v); }));
        QCOMPARE(got.size(), std::size_t{3});
        QCOMPARE(std::bit_cast<std::uint64_t>(got[0]), std::bit_cast<std::uint64_t>(12.5));
        QCOMPARE(std::bit_cast<std::uint64_t>(got[1]), std::bit_cast<std::uint64_t>(12.5));
        QCOMPARE(std::bit_cast<std::uint64_t>(got[2]), std::bit_cast<std::uint64_t>(-0.001));
    }

    void scrapeShapedRowsAreCompact()
    {
        // One commit of a node_exporter-like scrape: consecutive ids, one timestamp, counters and
        // short decimals. Format 1 took 12 bytes a sample here.
        HeadLogEncoder enc;
        for (std::int64_t i = 0; i < 1000; ++i) {
            const double value = i % 3 == 0 ? static_cast<double>(1'000'000 + i * 37) : (i % 3 == 1 ? 12345.67 + i : 0.25);
            enc.add(50'000 + i, kT0, value);
        }
        const double perSample = static_cast<double>(enc.bytes().size()) / 1000.0;
        QVERIFY2(perSample < 6.5, qPrintable(QString::number(perSample)));
    }

    void readsFormatOneRows()
    {
        // Files written before format 2 keep their log rows until the next checkpoint cycle.
        std::string row(1, '\x01');
        auto put = [&](std::uint64_t id, std::int64_t tsDelta, double value) {
            appendVarint(row, id);
            appendVarint(row, (static_cast<std::uint64_t>(tsDelta) << 1) ^ static_cast<std::uint64_t>(tsDelta >> 63));
            auto bits = std::bit_cast<std::uint64_t>(value);
            for (int i = 0; i < 8; ++i, bits >>= 8)
                row.push_back(static_cast<char>(bits & 0xff));
        };
        put(7, kT0, 1.5);
        put(3, -1000, -0.0);
        std::vector<std::tuple<std::int64_t, std::int64_t, std::uint64_t>> got;
        QVERIFY(decodeHeadLog(row, [&](std::int64_t id, std::int64_t ts, double v) {
            got.emplace_back(id, ts, std::bit_cast<std::uint64_t>(v));
        }));
        QCOMPARE(got.size(), std::size_t{2});
        QCOMPARE(got[0], std::make_tuple(std::int64_t{7}, kT0, std::bit_cast<std::uint64_t>(1.5)));
        QCOMPARE(got[1], std::make_tuple(std::int64_t{3}, kT0 - 1000, std::bit_cast<std::uint64_t>(-0.0)));
    }

    void commitWritesALogRowAndASliceOfHeads()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        auto w = StoreWriter::open(path);
        QVERIFY(w);
        Written written;
        addRound(**w, 0, written);
        QVERIFY((*w)->commit());
        addRound(**w, 1, written);
        QVERIFY((*w)->commit());
        // The second commit rewrote only its checkpoint slice of head rows, though
        // every series changed: the other samples of that commit are in its log row. (500 series: 64 a commit.)
        const std::int64_t rewritten = sqlScalar(path, "SELECT count(*) FROM head_chunk WHERE end_ms = 1699999201000");
        QVERIFY2(rewritten <= 64, qPrintable(QString::number(rewritten)));
        QCOMPARE(sqlScalar(path, "SELECT count(*) FROM head_log"), std::int64_t{2});
        QCOMPARE(readBack(path, written), QString());
    }

    void readersAndRestartsSeeEveryCommittedSample()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        Written written;
        std::int64_t i = 0;
        {
            auto w = StoreWriter::open(path);
            QVERIFY(w);
            // kSealSamples + 60 rounds: chunks seal, minutes and rollup rows close, cycles wrap.
            for (; i < kSealSamples + 60; ++i) {
                addRound(**w, i, written);
                QVERIFY((*w)->commit());
            }
            QVERIFY(sqlScalar(path, "SELECT count(*) FROM head_log") > 0);
            // Readers overlay the log on the rows: every sample, bit for bit, raw and rolled up.
            QCOMPARE(readBack(path, written), QString());
            QCOMPARE(rollupsMatchRaw(path, kRollup1mMs), QString());
            QCOMPARE(rollupsMatchRaw(path, kRollup1hMs), QString());
            // Dropped without a checkpoint, as a crash would leave it.
        }
        QCOMPARE(readBack(path, written), QString());
        {
            auto w = StoreWriter::open(path); // replays the log onto the heads
            QVERIFY(w);
            for (; i < kSealSamples + 180; ++i) {
                addRound(**w, i, written);
                QVERIFY((*w)->commit());
            }
            QCOMPARE((*w)->counters().outOfOrderSamples, std::uint64_t{0});
            QCOMPARE(readBack(path, written), QString());
            QCOMPARE(rollupsMatchRaw(path, kRollup1mMs), QString());
            QVERIFY((*w)->checkpointAll());
        }
        QCOMPARE(sqlScalar(path, "SELECT count(*) FROM head_log"), std::int64_t{0});
        QCOMPARE(readBack(path, written), QString());
        QCOMPARE(rollupsMatchRaw(path, kRollup1hMs), QString());
    }

    void aLongLivedReaderFollowsTheLog()
    {
        // One reader across many commits: series it tracks take the new log rows (refresh), series it
        // meets later are read from the whole log (track) — each sample exactly once either way.
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        Written written;
        auto w = StoreWriter::open(path);
        QVERIFY(w);
        std::int64_t i = 0;
        const auto rounds = [&](int n) {
            for (int k = 0; k < n; ++k, ++i) {
                addRound(**w, i, written);
                QVERIFY((*w)->commit());
            }
        };
        rounds(20);
        auto h = SqliteHistory::open(path);
        QVERIFY(h);
        // A checkpoint cycle here is 8 commits (500 heads, 64 a commit): reads between single commits
        // meet tracked series both within a cycle and after the rows they were decoded from went.
        const LabelMatcher metric{"__name__", LabelMatcher::Op::Equal, "m"};
        const std::vector<std::pair<std::vector<LabelMatcher>, std::size_t>> reads{
            {{metric, {"series", LabelMatcher::Op::Equal, "7"}}, 1},
            {{metric, {"series", LabelMatcher::Op::Regex, "7|42|499"}}, 3},
            {{metric, {"series", LabelMatcher::Op::Regex, "4.*"}}, 111},
            {{metric}, written.size()}};
        for (std::size_t k = 0; k < 40; ++k) {
            rounds(1);
            const auto &[matchers, count] = reads[k % reads.size()];
            QCOMPARE(answers(**h, matchers, written, count), QString());
        }
        rounds(kSealSamples);
        QCOMPARE(answers(**h, {metric}, written, written.size()), QString());
    }

    void retentionAfterARestartStoresTheLastMinuteWhole_data()
    {
        QTest::addColumn<bool>("clean");
        QTest::newRow("clean stop") << true;
        QTest::newRow("crash: rows behind the log") << false;
    }

    void retentionAfterARestartStoresTheLastMinuteWhole()
    {
        // A dense series scraped every second from 31 s to N + 60 s (N = kSealSamples), then stopped: its
        // first chunk (31 s to N + 30 s) seals, and the last minute (N s, N + 60 s] is half in that chunk,
        // half in the head. After a restart the chunk expires: the minute must be stored from all 60 of
        // its samples, and only once.
        static_assert(kSealSamples % 60 == 0);
        constexpr std::int64_t kLast = kSealSamples + 60;
        QFETCH(bool, clean);
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        {
            auto w = StoreWriter::open(path);
            QVERIFY(w);
            // 3,000 series, so that a checkpoint cycle takes 47 commits and most head rows trail the log.
            for (std::int64_t t = 31; t <= kLast; ++t) {
                for (int s = 0; s < 3000; ++s)
                    (*w)->add("g", Labels({{"s", std::to_string(s)}}), kT0 + t * 1000, static_cast<double>((t + s) % 13));
                QVERIFY((*w)->commit()); // a sample per series per commit: logged, as live scrapes are
            }
            if (clean)
                QVERIFY((*w)->checkpointAll());
        }
        auto w = StoreWriter::open(path);
        QVERIFY(w);
        const RetentionMs keep{7 * 86'400'000LL, 90 * 86'400'000LL, 0};
        for (bool more = true; more;) {
            QVERIFY((*w)->commit()); // retention waits for pending work (the replay may have sealed chunks)
            auto r = (*w)->enforceRetention(kT0 + 8 * 86'400'000LL, keep, 2000);
            QVERIFY2(r, r ? "" : r.error().message.c_str());
            more = *r;
        }
        QCOMPARE(sqlScalar(path, "SELECT count(*) FROM chunk"), std::int64_t{0});
        auto h = SqliteHistory::open(path);
        QVERIFY(h);
        const std::vector<LabelMatcher> g{{"__name__", LabelMatcher::Op::Equal, "g"}, {"s", LabelMatcher::Op::Equal, "2999"}}; // late in the checkpoint cycle: its rows trail
        auto tier = (*h)->selectTier(g, kT0, kT0 + kLast * 1000, kRollup1mMs);
        QVERIFY(tier && tier->size() == 1);
        std::map<std::int64_t, std::int64_t> counts;
        for (const RollupBucket &b : tier->front().buckets) {
            QVERIFY2(!counts.contains(b.startMs), "a minute stored twice");
            counts[b.startMs] = b.count;
        }
        QCOMPARE(counts[kT0 + kSealSamples * 1000], std::int64_t{60});
        QCOMPARE(counts[kT0 + (kSealSamples - 60) * 1000], std::int64_t{60});
        QCOMPARE(counts[kT0], std::int64_t{30}); // (0, 60]: 31 s to 60 s
    }

    void logStaysBounded()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        auto w = StoreWriter::open(path);
        QVERIFY(w);
        Written written;
        std::int64_t most = 0;
        for (std::int64_t i = 0; i < 200; ++i) {
            addRound(**w, i, written);
            QVERIFY((*w)->commit());
            most = std::max(most, sqlScalar(path, "SELECT count(*) FROM head_log"));
        }
        // A cycle visits 64 heads a commit here (500 series: 8 commits); rows older than the cycle
        // before go when it wraps.
        QVERIFY2(most <= 2 * 8 + 1, qPrintable(QString::number(most)));
    }
};

QTEST_APPLESS_MAIN(TestHeadLog)
#include "tst_head_log.moc"
