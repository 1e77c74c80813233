// rules_bench: the alerting rules as the app runs them, end to end on the query thread's path.
//
//   rules_bench [--series 10000] [--rules 1000] [--interval 5s] [--evaluations 24]
//
// A QueryService opens a fresh history file (its writer thread, SQLite, the live heads); SERIES
// series (request counters and latency gauges over routes and instances) are ingested every
// interval for ten minutes, then AlertService evaluates RULES rules of the shapes people write
// (threshold on a gauge, rate of a counter over a window, avg_over_time, an aggregation by instance)
// once an interval while new samples keep arriving. Prints the CPU time of each evaluation on the
// evaluating thread (CLOCK_THREAD_CPUTIME_ID): median and max, and the share of one core at that
// interval (issue #15's target: < 5 %). Prints key=value lines.
#include "app/services/alert_service.h"
#include "app/services/hub.h"
#include "app/services/query_service.h"
#include "core/base/clock.h"
#include "core/logs/log_store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

using namespace pulse;

namespace {

double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

/// batchAt is one scrape of every series at t: counters grow, latencies wander.
MetricBatch batchAt(int series, std::int64_t t)
{
    MetricBatch b;
    b.target = "bench";
    b.scrapeStartMs = t;
    b.samples.reserve(std::size_t(series));
    const int pairs = series / 2;
    for (int i = 0; i < pairs; ++i) {
        const Labels labels{{"job", "api"}, {"instance", "h" + std::to_string(i % 50) + ":80"},
                            {"route", "/r" + std::to_string(i / 50)}};
        b.samples.push_back({"http_requests_total", labels, t, double(t / 1000 * (1 + i % 7))});
        b.samples.push_back({"latency_seconds", labels, t, 0.05 + 0.01 * double((t / 5000 + i) % 40)});
    }
    return b;
}

std::vector<AlertRuleConfig> rulesFor(int count, int series)
{
    const int routes = std::max(1, series / 2 / 50);
    std::vector<AlertRuleConfig> out;
    for (int i = 0; i < count; ++i) {
        AlertRuleConfig r;
        r.name = "Rule" + std::to_string(i);
        const std::string route = "/r" + std::to_string(i % routes);
        switch (i % 4) {
        case 0:
            r.expr = "latency_seconds{route=\"" + route + "\"} > 0.4";
            r.forDuration = std::chrono::minutes(1);
            break;
        case 1:
            r.expr = "rate(http_requests_total{route=\"" + route + "\"}[1m]) > 5";
            break;
        case 2:
            r.expr = "avg_over_time(latency_seconds{route=\"" + route + "\"}[5m]) > 0.3";
            break;
        default:
            r.expr = "sum by (instance) (rate(http_requests_total{route=\"" + route + "\"}[5m])) > 100";
            break;
        }
        r.labels = Labels{{"severity", "warning"}};
        r.annotations = {{"summary", "{{ $labels.instance }} at {{ $value }}"}};
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    registerMetaTypes();
    int series = 10'000;
    int rules = 1'000;
    std::int64_t intervalMs = 5'000;
    int evaluations = 24;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--series")
            series = std::stoi(argv[i + 1]);
        else if (a == "--rules")
            rules = std::stoi(argv[i + 1]);
        else if (a == "--interval")
            intervalMs = std::stoll(argv[i + 1]) * 1000;
        else if (a == "--evaluations")
            evaluations = std::stoi(argv[i + 1]);
    }
    QTemporaryDir dir;
    LogStore logs;
    QueryService queries(3600 * 1000, logs);
    bool open = false;
    QObject::connect(&queries, &QueryService::storeStatus, [&open](const StoreStatus &s) { open = open || s.open; });
    queries.openStore(dir.filePath(QStringLiteral("history.db")), 0, 0, 0);
    QElapsedTimer wait;
    wait.start();
    while (!open && wait.elapsed() < 60'000) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        queries.reportStatus();
    }
    if (!open) {
        std::fprintf(stderr, "rules_bench: the history file did not open\n");
        return 1;
    }
    const std::int64_t t0 = 1'800'000'000'000;
    std::int64_t t = t0;
    for (; t < t0 + 10 * 60'000; t += intervalMs)
        queries.ingest(batchAt(series, t));
    ManualClock clock(t);
    AlertService alerts(queries, rulesFor(rules, series), clock);
    alerts.start(0, QString());
    std::vector<double> cpuMs;
    std::size_t firing = 0;
    std::size_t failing = 0;
    QObject::connect(&alerts, &AlertService::updated, [&](const AlertSnapshot &s) {
        firing = std::size_t(std::count_if(s.alerts.begin(), s.alerts.end(),
                                           [](const Alert &a) { return a.state == AlertState::Firing; }));
        failing = std::size_t(
            std::count_if(s.health.begin(), s.health.end(), [](const RuleHealth &h) { return !h.error.empty(); }));
    });
    for (int e = 0; e < evaluations; ++e) {
        queries.ingest(batchAt(series, t));
        // Let the writer commit as it would between evaluations (its flush interval is 250 ms).
        QElapsedTimer pause;
        pause.start();
        while (pause.elapsed() < 300)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        clock.set(t);
        const double before = threadCpuMs();
        alerts.evaluate();
        cpuMs.push_back(threadCpuMs() - before);
        t += intervalMs;
    }
    queries.closeStore();
    std::vector<double> sorted = cpuMs;
    std::sort(sorted.begin(), sorted.end());
    const double median = sorted[sorted.size() / 2];
    const double worst = sorted.back();
    std::printf("series=%d\nrules=%d\ninterval_s=%lld\nevaluations=%d\n", series, rules,
                static_cast<long long>(intervalMs / 1000), evaluations);
    std::printf("evaluation_cpu_ms_median=%.1f\nevaluation_cpu_ms_max=%.1f\n", median, worst);
    std::printf("core_share_percent_median=%.2f\ncore_share_percent_max=%.2f\n", 100.0 * median / double(intervalMs),
                100.0 * worst / double(intervalMs));
    std::printf("firing=%zu\nrules_failing=%zu\n", firing, failing);
    return 0;
}
