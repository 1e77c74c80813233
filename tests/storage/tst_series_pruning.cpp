// The series catalogue shrinks when retention has taken a series' data: its catalogue, label-index and
// head rows go, the writer forgets it, readers drop what they cached, and its id is never given again.
// Series churn (pods, build ids) then keeps the catalogue bounded instead of growing without end.
#include "sql_scalar.h"
#include "storage/series_head.h"
#include "storage/sqlite_history.h"
#include "storage/store_writer.h"

#include <QTemporaryDir>
#include <QTest>

using namespace pulse;
using namespace pulse::storage;
using pulse::storage::test::sqlScalar;

namespace {

constexpr std::int64_t kT0 = 1'699'999'200'000; // a round hour
constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kStep = 15'000;
const RetentionMs kKeep{kHour, 2 * kHour, 3 * kHour};

std::unique_ptr<StoreWriter> openStore(const std::string &path)
{
    auto w = StoreWriter::open(path);
    if (!w)
        qFatal("%s", w.error().message.c_str());
    return std::move(*w);
}

Labels pod(int i)
{
    return Labels({{"job", "web"}, {"pod", "web-" + std::to_string(i)}});
}

/// writePods writes `count` pods' samples every 15 s over [fromMs, toMs), and commits.
void writePods(StoreWriter &w, int first, int count, std::int64_t fromMs, std::int64_t toMs)
{
    for (std::int64_t t = fromMs; t < toMs; t += kStep) {
        for (int i = first; i < first + count; ++i)
            w.add("up", pod(i), t, 1);
    }
    if (auto r = w.commit(); !r)
        qFatal("%s", r.error().message.c_str());
}

/// expireAll runs retention at `nowMs` until nothing is left to delete.
void expireAll(StoreWriter &w, std::int64_t nowMs)
{
    for (;;) {
        auto more = w.enforceRetention(nowMs, kKeep, 1000);
        if (!more)
            qFatal("%s", more.error().message.c_str());
        if (!*more)
            return;
    }
}

std::vector<LabelMatcher> podMatcher(const std::string &regex)
{
    return {LabelMatcher{"__name__", LabelMatcher::Op::Equal, "up"}, LabelMatcher{"pod", LabelMatcher::Op::Regex, regex}};
}

} // namespace

class TstSeriesPruning : public QObject {
    Q_OBJECT
private slots:
    void prunesSeriesOnceTheirDataIsGone()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        auto w = openStore(path);
        // 40 pods that lived for 3 hours (several sealed raw chunks each, rollups), then pod 0 alone.
        writePods(*w, 1, 40, kT0, kT0 + 3 * kHour);
        writePods(*w, 0, 1, kT0, kT0 + 12 * kHour);
        QCOMPARE(w->counters().seriesCount, std::uint64_t{41});
        auto history = SqliteHistory::open(path);
        QVERIFY(history);
        auto before = (*history)->select(podMatcher("web-.*"), kT0, kT0 + 12 * kHour);
        QVERIFY(before);
        QCOMPARE(before->size(), std::size_t{41});

        // Their data is younger than the longest retention and an hour: nothing to prune yet.
        const std::int64_t early = kT0 + 6 * kHour;
        expireAll(*w, early);
        auto none = w->pruneSeries(early, kKeep, 1000);
        QVERIFY2(none, none ? "" : none.error().message.c_str());
        QCOMPARE(*none, std::size_t{0});
        // A tier kept forever keeps every series.
        const std::int64_t now = kT0 + 12 * kHour;
        QCOMPARE(*w->pruneSeries(now, RetentionMs{kHour, 2 * kHour, 0}, 1000), std::size_t{0});

        expireAll(*w, now);
        auto pruned = w->pruneSeries(now, kKeep, 1000);
        QVERIFY2(pruned, pruned ? "" : pruned.error().message.c_str());
        QCOMPARE(*pruned, std::size_t{40});
        QCOMPARE(w->counters().seriesCount, std::uint64_t{1});
        QCOMPARE(w->counters().prunedSeries, std::uint64_t{40});
        QCOMPARE(sqlScalar(path, "SELECT count(*) FROM series"), std::int64_t{1});
        // pod 0's __name__, job and pod rows are all that is left of the label index.
        QCOMPARE(sqlScalar(path, "SELECT count(*) FROM series_label"), std::int64_t{3});
        QCOMPARE(sqlScalar(path, "SELECT count(*) FROM head_chunk WHERE series_id NOT IN (SELECT id FROM series)"), std::int64_t{0});
        QCOMPARE(sqlScalar(path, "SELECT count(*) FROM rollup_head WHERE series_id NOT IN (SELECT id FROM series)"), std::int64_t{0});
        QCOMPARE(sqlScalar(path, "SELECT generation FROM catalogue"), std::int64_t{1});

        // The reader that cached all 41 entries drops them and answers from what is left.
        auto after = (*history)->select(podMatcher("web-.*"), kT0, now);
        QVERIFY(after);
        QCOMPARE(after->size(), std::size_t{1});
        QCOMPARE(after->front().labels.value("pod"), std::string_view("web-0"));

        // The writer goes on: pod 0 keeps its head, a pruned pod that comes back is a new series.
        writePods(*w, 0, 2, now, now + kHour);
        QCOMPARE(w->counters().seriesCount, std::uint64_t{2});
        QCOMPARE(sqlScalar(path, "SELECT count(*) FROM series WHERE id > 41"), std::int64_t{1});
        auto back = (*history)->select(podMatcher("web-[01]"), now, now + kHour);
        QVERIFY(back);
        QCOMPARE(back->size(), std::size_t{2});
        for (const SeriesData &s : *back)
            QCOMPARE(s.timestampsMs.size(), std::size_t{kHour / kStep});
    }

    void prunedIdsAreNeverReusedAfterARestart()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        const std::int64_t now = kT0 + 12 * kHour;
        {
            auto w = openStore(path);
            writePods(*w, 0, 1, kT0, kT0 + kHour);      // id 1, kept (see below)
            writePods(*w, 1, 5, kT0, kT0 + 2 * kHour);  // ids 2..6, pruned: the highest ids
            expireAll(*w, now);
            writePods(*w, 0, 1, now - kHour, now);
            QCOMPARE(*w->pruneSeries(now, kKeep, 1000), std::size_t{5});
            QVERIFY(w->checkpointAll());
        }
        auto w = openStore(path);
        writePods(*w, 100, 1, now, now + kStep);
        QCOMPARE(sqlScalar(path, "SELECT max(id) FROM series"), std::int64_t{7});
        QCOMPARE(w->counters().seriesCount, std::uint64_t{2});
    }

    void churnKeepsTheCatalogueBounded()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("h.db")).toStdString();
        auto w = openStore(path);
        // Every hour 50 new pods replace the last 50, for two days; retention and pruning run hourly
        // as the writer thread runs them.
        std::uint64_t most = 0;
        for (int hour = 0; hour < 48; ++hour) {
            const std::int64_t from = kT0 + hour * kHour;
            writePods(*w, hour * 50, 50, from, from + kHour);
            expireAll(*w, from + kHour);
            QVERIFY(w->pruneSeries(from + kHour, kKeep, 10'000));
            most = std::max(most, w->counters().seriesCount);
        }
        // Alive: the last hour's pods plus those within the longest retention and an hour: 5 hours.
        QVERIFY2(most <= 6 * 50, std::to_string(most).c_str());
        QVERIFY(w->counters().prunedSeries >= 40 * 50);
        QCOMPARE(sqlScalar(path, "SELECT count(*) FROM series"), static_cast<std::int64_t>(w->counters().seriesCount));
        auto db = SqliteDb::open(path);
        QVERIFY(db);
        auto check = db->prepare("PRAGMA integrity_check");
        QVERIFY(check && check->step());
        QCOMPARE(std::string(check->columnText(0)), std::string("ok"));
    }
};

QTEST_GUILESS_MAIN(TstSeriesPruning)
#include "tst_series_pruning.moc"
