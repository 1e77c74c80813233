// Start-up with an existing history: the file answers queries at once, while its writer (which
// restores every series' head) opens on a thread of its own; what arrives meanwhile is held and
// written once it is open, in order.
#include "app/services/hub.h"
#include "app/services/query_service.h"
#include "core/logs/log_store.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace pulse;

namespace {

MetricBatch gauge(std::int64_t ts, double value)
{
    MetricBatch b;
    b.target = "t";
    b.samples.push_back(Sample{"startup_gauge", Labels({{"job", "t"}}), ts, value});
    return b;
}

// lastValue answers `expr` (one series) at `atMs` from `queries` (through its query slot); -1 without one.
double lastValue(QueryService &queries, std::int64_t atMs, const QString &expr = QStringLiteral("startup_gauge"))
{
    QSignalSpy answers(&queries, &QueryService::answered);
    QueryRequest req;
    req.exprs = {expr};
    req.startMs = atMs;
    req.endMs = atMs;
    req.stepMs = 1000;
    queries.query(req);
    if (answers.count() != 1)
        return -1;
    const auto data = answers.first().first().value<PanelData>();
    if (!data.error.isEmpty() || data.series.size() != 1 || data.series[0].points.empty())
        return -1;
    return data.series[0].points.back().y;
}

} // namespace

class TstStoreOpen : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { registerMetaTypes(); }

    void existingHistoryIsReadableBeforeItsWriterOpens()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("h.db"));
        const std::int64_t t0 = QDateTime::currentMSecsSinceEpoch() - 60'000;
        LogStore logs;
        {
            QueryService first(3600 * 1000, logs);
            std::shared_ptr<SampleSink> sink;
            first.setSinkListener([&](std::shared_ptr<SampleSink> s) { sink = std::move(s); });
            first.openStore(path, 86'400'000, 86'400'000, 86'400'000); // new file: opened at once
            QVERIFY(sink);
            sink->append(gauge(t0, 7));
            first.waitForStore();
            first.closeStore();
        }

        QueryService queries(3600 * 1000, logs);
        QSignalSpy statuses(&queries, &QueryService::storeStatus);
        std::vector<std::shared_ptr<SampleSink>> sinks;
        queries.setSinkListener([&](std::shared_ptr<SampleSink> s) { sinks.push_back(std::move(s)); });
        queries.openStore(path, 86'400'000, 86'400'000, 86'400'000);
        // The writer is installed on this thread's event loop, which has not run: it is not open yet.
        QVERIFY(sinks.empty());
        QCOMPARE(statuses.count(), 1);
        const auto opening = statuses.first().first().value<StoreStatus>();
        QVERIFY(opening.opening);
        QVERIFY(!opening.open);
        QVERIFY(opening.error.isEmpty());
        // ...and yet the file answers.
        QCOMPARE(lastValue(queries, t0 + 1000), 7.0);

        // The app's own batches (self-metrics, ALERTS) wait for the writer instead of a memory history.
        queries.ingest(gauge(t0 + 2000, 8));
        queries.waitForStore();
        QCOMPARE(sinks.size(), std::size_t{1});
        QVERIFY(sinks[0]);
        sinks[0]->append(gauge(t0 + 3000, 9));
        queries.waitForStore();
        QCOMPARE(lastValue(queries, t0 + 2500), 8.0);
        QCOMPARE(lastValue(queries, t0 + 3500), 9.0);
        const auto open = statuses.last().first().value<StoreStatus>();
        QVERIFY(open.open);
        QVERIFY(!open.opening);

        // The queued install finds nothing left to do; closing twice is harmless.
        QCoreApplication::processEvents();
        QCOMPARE(sinks.size(), std::size_t{1});
        queries.closeStore();
        queries.closeStore();
    }

    // More of the app's own batches than may wait for the writer: the rest are counted as dropped.
    void batchesBeyondTheHoldBoundAreCounted()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("h.db"));
        const std::int64_t t0 = QDateTime::currentMSecsSinceEpoch() - 600'000;
        LogStore logs;
        {
            QueryService first(3600 * 1000, logs);
            first.openStore(path, 86'400'000, 86'400'000, 86'400'000);
            first.ingest(gauge(t0, 1));
            first.closeStore();
        }
        QueryService queries(3600 * 1000, logs);
        queries.setSelfCounters({[] { return std::uint64_t{0}; }, {}, &logs, [] { return std::uint64_t{5}; }, {}, {}, {}});
        queries.openStore(path, 86'400'000, 86'400'000, 86'400'000);
        for (int i = 1; i <= 300; ++i)
            queries.ingest(gauge(t0 + i * 1000, i)); // the writer is not installed: held, then dropped
        queries.waitForStore();
        const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
        queries.collectSelfMetrics(now);
        queries.waitForStore();
        QCOMPARE(lastValue(queries, now, QStringLiteral("pulse_samples_dropped_no_history_total")),
                 5.0 + (300 - 256)); // the Hub's and these
        QCOMPARE(lastValue(queries, t0 + 256'500), 256.0); // the held ones were written
        queries.closeStore();
    }

    void closingWhileTheWriterOpensLosesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("h.db"));
        const std::int64_t t0 = QDateTime::currentMSecsSinceEpoch() - 60'000;
        LogStore logs;
        {
            QueryService first(3600 * 1000, logs);
            first.openStore(path, 86'400'000, 86'400'000, 86'400'000);
            first.ingest(gauge(t0, 1));
            first.closeStore();
        }
        {
            QueryService quick(3600 * 1000, logs);
            quick.openStore(path, 86'400'000, 86'400'000, 86'400'000);
            quick.ingest(gauge(t0 + 1000, 2)); // held: the writer is not installed yet
            quick.closeStore();                // waits for the writer, writes what was held
        }
        QueryService reader(3600 * 1000, logs);
        reader.openStore(path, 86'400'000, 86'400'000, 86'400'000);
        QCOMPARE(lastValue(reader, t0 + 500), 1.0);
        QCOMPARE(lastValue(reader, t0 + 1500), 2.0);
        reader.closeStore();
    }
};

QTEST_GUILESS_MAIN(TstStoreOpen)
#include "tst_store_open.moc"
