// Pulseboard's own series: counters from the collectors and the log store, the writer's figures,
// this process's CPU and memory — recorded like any target's, queryable, and charted by a
// dashboard whose expressions are valid PromQL.
#include "app/services/hub.h"
#include "app/services/query_service.h"
#include "app/services/self_metrics.h"
#include "core/logs/log_store.h"
#include "core/promql/parser.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace pulse;

namespace {

double valueOf(const MetricBatch &batch, std::string_view metric)
{
    for (const auto &s : batch.samples)
        if (s.metric == metric)
            return s.value;
    return -1;
}

} // namespace

class TstSelfMetrics : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { registerMetaTypes(); }
    void batchHasCountersAndProcessFigures();
    void recordedAndQueryable();
    void dashboardParses();
};

void TstSelfMetrics::batchHasCountersAndProcessFigures()
{
    LogStore logs;
    LogRecord r;
    r.target = "x";
    r.raw = r.message = "hello";
    logs.append({r});
    const SelfCounters counters{[] { return std::uint64_t{1234}; }, [] { return std::uint64_t{7}; }, &logs,
                                [] { return std::uint64_t{3}; }, [] { return 42.0; },
                                [] { return std::uint64_t{9}; }, [] { return std::uint64_t{11}; },
                                [] { return NotificationFigures{{{"webhook", 5, 2, 1}}, 4}; }};
    const MetricBatch without = selfMetricsBatch(counters, std::nullopt, 5000);
    QCOMPARE(valueOf(without, "pulse_samples_received_total"), 1234.0);
    QCOMPARE(valueOf(without, "pulse_http_idle_connections_dropped_total"), 7.0);
    QCOMPARE(valueOf(without, "pulse_log_records"), 1.0);
    QCOMPARE(valueOf(without, "pulse_samples_dropped_no_history_total"), 3.0);
    QCOMPARE(valueOf(without, "pulse_gui_event_loop_lag_seconds"), 0.042);
    QCOMPARE(valueOf(without, "pulse_scrape_duplicate_samples_total"), 9.0);
    QCOMPARE(valueOf(without, "pulse_scrape_future_samples_total"), 11.0);
    QCOMPARE(valueOf(without, "pulse_writer_lag_seconds"), -1.0); // no history file: no writer series
    QCOMPARE(valueOf(without, "pulse_notifications_sent_total"), 5.0);
    QCOMPARE(valueOf(without, "pulse_notifications_failed_total"), 2.0);
    QCOMPARE(valueOf(without, "pulse_notifications_queued"), 1.0);
    QCOMPARE(valueOf(without, "pulse_notifications_dropped_total"), 4.0);
    for (const auto &s : without.samples)
        if (s.metric == "pulse_notifications_sent_total")
            QCOMPARE(s.labels.value("receiver"), std::string_view("webhook"));
    QVERIFY(valueOf(without, "process_resident_memory_bytes") > 1e6);
    QVERIFY(valueOf(without, "process_cpu_seconds_total") > 0);
    for (const auto &s : without.samples) {
        QCOMPARE(s.labels.value("job"), std::string_view("pulseboard"));
        QCOMPARE(s.timestampMs, std::int64_t{5000});
    }
    WriterFigures w;
    w.droppedSamples = 3;
    w.lagMs = 1500;
    const MetricBatch with = selfMetricsBatch(counters, w, 5000);
    QCOMPARE(valueOf(with, "pulse_writer_dropped_samples_total"), 3.0);
    QCOMPARE(valueOf(with, "pulse_writer_lag_seconds"), 1.5);
    QCOMPARE(valueOf(with, "pulse_writer_up"), 1.0);
}

void TstSelfMetrics::recordedAndQueryable()
{
    QTemporaryDir dir;
    LogStore logs;
    QueryService queries(3600 * 1000, logs);
    std::uint64_t received = 100;
    queries.setSelfCounters({[&] { return received; }, {}, &logs, {}, {}, {}, {}});
    queries.openStore(dir.filePath(QStringLiteral("h.db")), 86'400'000, 86'400'000, 86'400'000);
    const std::int64_t t0 = QDateTime::currentMSecsSinceEpoch();
    for (int minute = 0; minute <= 6; ++minute) {
        received = 100 + 150 * static_cast<std::uint64_t>(minute);
        queries.collectSelfMetrics(t0 + minute * 60'000);
    }
    queries.waitForStore(); // what was handed to the writer is committed, and so readable
    QSignalSpy answers(&queries, &QueryService::answered);
    QueryRequest req;
    req.exprs = {QStringLiteral("increase(pulse_samples_received_total{job=\"pulseboard\"}[2m])"),
                 QStringLiteral("pulse_writer_up")};
    req.startMs = t0 + 6 * 60'000; // memory holds it all, lookback included
    req.endMs = t0 + 6 * 60'000;
    req.stepMs = 1000;
    queries.query(req);
    QCOMPARE(answers.count(), 1);
    const auto data = answers.first().first().value<PanelData>();
    QVERIFY2(data.error.isEmpty(), qPrintable(data.error));
    QCOMPARE(data.series.size(), std::size_t{2});
    QCOMPARE(data.series[0].points.back().y, 300.0); // 150 a minute, samples on the window's edges
    QCOMPARE(data.series[1].points.back().y, 1.0);
    queries.closeStore();
}

void TstSelfMetrics::dashboardParses()
{
    const DashboardConfig d = selfDashboard();
    QVERIFY(d.panels.size() >= 6);
    for (const auto &p : d.panels) {
        auto parsed = promql::parse(p.exprs.front());
        QVERIFY2(parsed, p.exprs.front().c_str());
    }
}

QTEST_GUILESS_MAIN(TstSelfMetrics)
#include "tst_self_metrics.moc"
