// Migration of a schema-2 history (rollup buckets [start, start + resolution), 1-minute buckets for
// every series) to schema 3 (rollup_rebuild.h).
//
// fixtures/history_v2.db was written by the schema-2 StoreWriter (commit 1589406) and then shrunk to
// 1 KiB pages (journal_mode=DELETE, page_size=1024, VACUUM):
//   fx_counter{job="a"}  1200 samples every 15 s from kT0, value i·7 + i mod 3;
//   fx_gauge{job="b"}    1800 samples every 1 s from kT0 + 50 min, value (i mod 97) / 4;
//   fx_fresh{job="c"}    300 samples every 15 s from kT0 + 7 s, value (i mod 89) / 2;
//   fx_fresh_dense{job="d"}  200 samples every 1 s from kT0 + 7 s, value 3i;
// then StoreWriter::enforceRetention(kT0 + 7190 s, raw retention 1 h) deleted the counter's first raw
// chunk (i < 240) and the gauge's first two (i < 480), as retention does, leaving only the rollups of
// those samples.
#include "storage/sqlite_history.h"
#include "storage/store_schema.h"
#include "storage/store_writer.h"

#include "core/promql/engine.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <bit>

using namespace pulse;
using namespace pulse::storage;

namespace {

constexpr std::int64_t kT0 = 1'699'999'200'000;
constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 3'600'000;
constexpr std::int64_t kGaugeT0 = kT0 + 50 * kMinute;

double counterAt(std::int64_t i)
{
    return static_cast<double>(i * 7 + i % 3);
}

double gaugeAt(std::int64_t i)
{
    return static_cast<double>(i % 97) / 4;
}

std::vector<LabelMatcher> named(const std::string &metric)
{
    return {LabelMatcher{"__name__", LabelMatcher::Op::Equal, metric}};
}

std::int64_t scalar(const std::string &path, SqlText sql)
{
    auto db = SqliteDb::open(path);
    auto s = db->prepare(sql);
    if (!s || !s->step())
        return -1;
    return s->columnInt(0);
}

// differs is empty when raw samples and the planner give the same answer.
QString differs(const SqliteHistory &h, const char *expr, std::int64_t startMs, std::int64_t endMs, std::int64_t stepMs)
{
    auto a = promql::Engine(h).rangeQuery(expr, startMs, endMs, stepMs);
    auto b = promql::Engine(h.readerForStep(stepMs)).rangeQuery(expr, startMs, endMs, stepMs);
    if (!a || !b || a->matrix.size() != 1 || b->matrix.size() != 1)
        return QStringLiteral("no single-series answer");
    const auto &x = a->matrix[0].points;
    const auto &y = b->matrix[0].points;
    if (x.size() != y.size())
        return QStringLiteral("%1 points vs %2").arg(x.size()).arg(y.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (x[i].timestampMs != y[i].timestampMs ||
            std::bit_cast<std::uint64_t>(x[i].value) != std::bit_cast<std::uint64_t>(y[i].value))
            return QStringLiteral("point %1: %2 vs %3").arg(i).arg(x[i].value).arg(y[i].value);
    }
    return {};
}

} // namespace

class TestStoreMigration : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        const QString fixture = QFINDTESTDATA("fixtures/history_v2.db");
        QVERIFY(!fixture.isEmpty());
        m_fixture = fixture;
    }

    void schema2IsMigratedAndRebuilt()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("h.db"));
        QVERIFY(QFile::copy(m_fixture, file));
        QVERIFY(QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner));
        const std::string path = file.toStdString();
        QCOMPARE(scalar(path, "PRAGMA user_version"), std::int64_t{2});
        QVERIFY(!SqliteHistory::open(path)); // readers never migrate

        auto writer = StoreWriter::open(path);
        QVERIFY2(writer, writer ? "" : writer.error().message.c_str());
        QCOMPARE(scalar(path, "PRAGMA user_version"), std::int64_t{StoreSchema::kSchemaVersion});
        QCOMPARE(scalar(path, "SELECT count(*) FROM schema_version"), std::int64_t{StoreSchema::kSchemaVersion});
        auto history = SqliteHistory::open(path);
        QVERIFY(history);
        const SqliteHistory &h = **history;

        // Counter, 1 hour: the old bucket holding the first raw sample is kept (it also holds the
        // expired ones) and gains the sample at its new end; after it, rebuilt from raw samples.
        auto hours = h.selectTier(named("fx_counter"), INT64_MIN, INT64_MAX, kRollup1hMs);
        QVERIFY(hours && hours->size() == 1);
        const auto &hb = hours->front().buckets;
        QVERIFY(hours->front().raw.timestampsMs.empty());
        QCOMPARE(hb.size(), std::size_t{5});
        const std::int64_t hourCounts[] = {241, 240, 240, 240, 239};
        for (std::size_t i = 0; i < hb.size(); ++i) {
            QCOMPARE(hb[i].startMs, kT0 + static_cast<std::int64_t>(i) * kHour);
            QCOMPARE(hb[i].count, hourCounts[i]);
        }
        QCOMPARE(hb[0].lastTimestampMs, kT0 + kHour);
        QCOMPARE(hb[0].last, counterAt(240));
        QCOMPARE(hb[1].lastTimestampMs, kT0 + 2 * kHour);
        QCOMPARE(hb[4].last, counterAt(1199));

        // Counter, 1 minute: a sparse series keeps the old buckets of its expired samples only.
        auto minutes = h.selectTier(named("fx_counter"), INT64_MIN, INT64_MAX, kRollup1mMs);
        QVERIFY(minutes && minutes->size() == 1);
        const auto &mb = minutes->front().buckets;
        QCOMPARE(mb.size(), std::size_t{60});
        QCOMPARE(mb.front().count, std::int64_t{4});
        QCOMPARE(mb.back().startMs, kT0 + 59 * kMinute);
        QCOMPARE(mb.back().count, std::int64_t{5});
        QCOMPARE(mb.back().lastTimestampMs, kT0 + kHour);
        QCOMPARE(minutes->front().raw.timestampsMs.size(), std::size_t{1200 - 241});

        // Gauge, 1 minute: dense, so rebuilt and stored after the joint bucket.
        auto gauge = h.selectTier(named("fx_gauge"), INT64_MIN, INT64_MAX, kRollup1mMs);
        QVERIFY(gauge && gauge->size() == 1);
        const auto &gb = gauge->front().buckets;
        // Its last minute (79) is still open: read from its 59 raw samples, not stored.
        QCOMPARE(gauge->front().raw.timestampsMs.size(), std::size_t{59});
        QCOMPARE(gb.size(), std::size_t{29});
        QCOMPARE(gb[7].startMs, kT0 + 57 * kMinute);
        QCOMPARE(gb[7].count, std::int64_t{61});
        QCOMPARE(gb[8].count, std::int64_t{60});
        QCOMPARE(gb[8].lastTimestampMs, kT0 + 59 * kMinute);
        QCOMPARE(gb[8].last, gaugeAt(540));
        QCOMPARE(gb.back().startMs, kT0 + 78 * kMinute);
        QCOMPARE(gb.back().count, std::int64_t{60});
        QCOMPARE(gauge->front().raw.timestampsMs.front(), kT0 + 79 * kMinute + 1000);
        auto gaugeHours = h.selectTier(named("fx_gauge"), INT64_MIN, INT64_MAX, kRollup1hMs);
        QVERIFY(gaugeHours);
        QCOMPARE(gaugeHours->front().buckets.size(), std::size_t{2});
        QCOMPARE(gaugeHours->front().buckets[0].count, std::int64_t{601});
        QCOMPARE(gaugeHours->front().buckets[1].count, std::int64_t{1199});

        // Where raw samples remain, the planner now answers exactly as they do.
        QVERIFY2(differs(h, "fx_gauge", kT0 + 59 * kMinute, kT0 + 80 * kMinute, kMinute).isEmpty(),
                 qPrintable(differs(h, "fx_gauge", kT0 + 59 * kMinute, kT0 + 80 * kMinute, kMinute)));
        QVERIFY2(differs(h, "fx_counter", kT0 + 61 * kMinute, kT0 + 5 * kHour, kMinute).isEmpty(),
                 qPrintable(differs(h, "fx_counter", kT0 + 61 * kMinute, kT0 + 5 * kHour, kMinute)));
        QVERIFY2(differs(h, "fx_counter", kT0 + kHour, kT0 + 5 * kHour, kHour).isEmpty(),
                 qPrintable(differs(h, "fx_counter", kT0 + kHour, kT0 + 5 * kHour, kHour)));

        // The writer goes on where the rebuilt head rows stop.
        (*writer)->add("fx_gauge", Labels({{"job", "b"}}), kGaugeT0 + 1800 * 1000, gaugeAt(1800));
        (*writer)->add("fx_counter", Labels({{"job", "a"}}), kT0 + 1200 * 15'000, counterAt(1200));
        QVERIFY((*writer)->commit());
        auto after = h.selectTier(named("fx_gauge"), kT0 + 79 * kMinute, kT0 + 79 * kMinute, kRollup1mMs);
        QVERIFY(after);
        // Minute 79 was open when the rows were rebuilt, so it is not in the row: the writer drops it as
        // incomplete and it stays readable from its 60 raw samples (Downsampler stores it when they expire).
        QVERIFY(after->front().buckets.empty());
        QCOMPARE(after->front().raw.timestampsMs.size(), std::size_t{60});
        auto counterHour = h.selectTier(named("fx_counter"), kT0 + 4 * kHour, kT0 + 4 * kHour, kRollup1hMs);
        QVERIFY(counterHour);
        QCOMPARE(counterHour->front().buckets.front().count, std::int64_t{240});
        QCOMPARE(counterHour->front().buckets.front().lastTimestampMs, kT0 + 5 * kHour);
        writer->reset();
        QCOMPARE(scalar(path, "SELECT count(*) FROM schema_version"), std::int64_t{StoreSchema::kSchemaVersion}); // not run twice
        auto check = SqliteDb::open(path);
        auto integrity = check->prepare("PRAGMA integrity_check");
        QVERIFY(integrity && integrity->step());
        QCOMPARE(integrity->columnText(0), std::string_view("ok"));
    }

    void unexpiredSeriesAreRebuiltAsTheWriterWritesThem()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("h.db"));
        QVERIFY(QFile::copy(m_fixture, file));
        QVERIFY(QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner));
        const std::string fresh = dir.filePath(QStringLiteral("fresh.db")).toStdString();
        {
            auto migrated = StoreWriter::open(file.toStdString());
            QVERIFY(migrated);
            auto writer = StoreWriter::open(fresh);
            QVERIFY(writer);
            for (std::int64_t i = 0; i < 300; ++i)
                (*writer)->add("fx_fresh", Labels({{"job", "c"}}), kT0 + 7'000 + i * 15'000,
                               static_cast<double>(i % 89) / 2);
            for (std::int64_t i = 0; i < 200; ++i)
                (*writer)->add("fx_fresh_dense", Labels({{"job", "d"}}), kT0 + 7'000 + i * 1000,
                               static_cast<double>(i * 3));
            QVERIFY((*writer)->commit());
        }
        auto a = SqliteHistory::open(file.toStdString());
        auto b = SqliteHistory::open(fresh);
        QVERIFY(a && b);
        for (const char *metric : {"fx_fresh", "fx_fresh_dense"}) {
            for (std::int64_t resolution : {kRollup1mMs, kRollup1hMs}) {
                auto x = (*a)->selectTier(named(metric), INT64_MIN, INT64_MAX, resolution);
                auto y = (*b)->selectTier(named(metric), INT64_MIN, INT64_MAX, resolution);
                QVERIFY(x && y && x->size() == 1 && y->size() == 1);
                QCOMPARE(x->front().buckets.size(), y->front().buckets.size());
                for (std::size_t i = 0; i < x->front().buckets.size(); ++i)
                    QCOMPARE(x->front().buckets[i], y->front().buckets[i]);
                QCOMPARE(x->front().raw.timestampsMs, y->front().raw.timestampsMs);
            }
        }
        // The sparse one stores no 1-minute buckets, the dense one does.
        auto sparse = (*a)->selectTier(named("fx_fresh"), INT64_MIN, INT64_MAX, kRollup1mMs);
        QVERIFY(sparse && sparse->front().buckets.empty());
        auto dense = (*a)->selectTier(named("fx_fresh_dense"), INT64_MIN, INT64_MAX, kRollup1mMs);
        QVERIFY(dense && dense->front().buckets.size() == 3); // and its open minute from raw
        QCOMPARE(dense->front().raw.timestampsMs.size(), std::size_t{26});
    }

private:
    QString m_fixture;
};

QTEST_APPLESS_MAIN(TestStoreMigration)
#include "tst_store_migration.moc"
