// selfMetricsBatch: counters, gauges and this process's CPU and memory.
#include "app/services/self_metrics.h"

#include "core/logs/log_store.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>

namespace pulse {
namespace {

double processCpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

} // namespace

double residentBytes()
{
    std::FILE *f = std::fopen("/proc/self/statm", "r");
    if (f == nullptr)
        return 0;
    unsigned long size = 0;
    unsigned long resident = 0;
    const int read = std::fscanf(f, "%lu %lu", &size, &resident);
    std::fclose(f);
    return read == 2 ? static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) : 0;
}

MetricBatch selfMetricsBatch(const SelfCounters &counters, const std::optional<WriterFigures> &writer,
                             std::int64_t nowMs)
{
    MetricBatch batch;
    batch.target = "pulseboard";
    batch.scrapeStartMs = nowMs;
    const Labels self{{"job", "pulseboard"}, {"instance", "localhost"}};
    const auto add = [&](const char *name, double value) {
        batch.samples.push_back({name, self, nowMs, value});
    };
    if (counters.samplesReceived)
        add("pulse_samples_received_total", static_cast<double>(counters.samplesReceived()));
    if (counters.samplesWithoutSink)
        add("pulse_samples_dropped_no_history_total", static_cast<double>(counters.samplesWithoutSink()));
    if (counters.guiLoopLagMs)
        add("pulse_gui_event_loop_lag_seconds", counters.guiLoopLagMs() / 1000.0);
    if (counters.futureSamples)
        add("pulse_scrape_future_samples_total", static_cast<double>(counters.futureSamples()));
    if (counters.duplicateSamples)
        add("pulse_scrape_duplicate_samples_total", static_cast<double>(counters.duplicateSamples()));
    if (counters.httpIdleDropped)
        add("pulse_http_idle_connections_dropped_total", static_cast<double>(counters.httpIdleDropped()));
    if (counters.notifications) {
        const NotificationFigures n = counters.notifications();
        for (const ReceiverFigures &r : n.receivers) {
            Labels labels = self;
            labels.set("receiver", r.receiver);
            batch.samples.push_back({"pulse_notifications_sent_total", labels, nowMs, static_cast<double>(r.sent)});
            batch.samples.push_back({"pulse_notifications_failed_total", labels, nowMs, static_cast<double>(r.failed)});
            batch.samples.push_back({"pulse_notifications_queued", labels, nowMs, static_cast<double>(r.waiting)});
        }
        add("pulse_notifications_dropped_total", static_cast<double>(n.dropped));
    }
    if (counters.logs != nullptr) {
        const LogStoreStats s = counters.logs->stats();
        add("pulse_log_records", static_cast<double>(s.records));
        add("pulse_log_bytes", static_cast<double>(s.bytes));
        add("pulse_log_records_appended_total", static_cast<double>(s.appended));
        add("pulse_log_records_evicted_total", static_cast<double>(s.evicted));
    }
    if (writer) {
        add("pulse_writer_up", writer->ok ? 1 : 0);
        add("pulse_writer_committed_samples_total", static_cast<double>(writer->committedSamples));
        add("pulse_writer_dropped_samples_total", static_cast<double>(writer->droppedSamples));
        add("pulse_writer_out_of_order_samples_total", static_cast<double>(writer->outOfOrderSamples));
        add("pulse_writer_series", static_cast<double>(writer->seriesCount));
        add("pulse_writer_quarantined_series", static_cast<double>(writer->quarantinedSeries));
        add("pulse_writer_lag_seconds", static_cast<double>(writer->lagMs) / 1000.0);
        add("pulse_writer_queue_samples", static_cast<double>(writer->queuedSamples));
        add("pulse_writer_queue_bytes", static_cast<double>(writer->queuedBytes));
        add("pulse_writer_queue_capacity_bytes", static_cast<double>(writer->queueCapacityBytes));
        add("pulse_history_file_bytes", static_cast<double>(writer->fileBytes));
    }
    add("process_cpu_seconds_total", processCpuSeconds());
    add("process_resident_memory_bytes", residentBytes());
    return batch;
}

DashboardConfig selfDashboard()
{
    const auto panel = [](std::string title, std::string expr, std::string unit) {
        PanelConfig p;
        p.title = std::move(title);
        p.exprs = {std::move(expr)};
        p.unit = std::move(unit);
        return p;
    };
    DashboardConfig d;
    d.name = "Pulseboard itself";
    d.panels = {
        panel("Samples received", "rate(pulse_samples_received_total{job=\"pulseboard\"}[1m])", "samples/s"),
        panel("Samples dropped (writer queue full)", "rate(pulse_writer_dropped_samples_total{job=\"pulseboard\"}[1m])",
              "samples/s"),
        panel("Writer lag", "pulse_writer_lag_seconds{job=\"pulseboard\"}", "s"),
        panel("Writer queue (bound: pulse_writer_queue_capacity_bytes)", "pulse_writer_queue_bytes{job=\"pulseboard\"}",
              "bytes"),
        panel("GUI event-loop lag (max over 5 s)", "pulse_gui_event_loop_lag_seconds{job=\"pulseboard\"}", "s"),
        panel("History file", "pulse_history_file_bytes{job=\"pulseboard\"}", "bytes"),
        panel("CPU", "rate(process_cpu_seconds_total{job=\"pulseboard\"}[1m])", "cores"),
        panel("Memory", "process_resident_memory_bytes{job=\"pulseboard\"}", "bytes"),
        panel("Log store", "pulse_log_bytes{job=\"pulseboard\"}", "bytes"),
        panel("Idle connections dropped", "rate(pulse_http_idle_connections_dropped_total{job=\"pulseboard\"}[1m])",
              "conn/s"),
        panel("Notifications waiting (by receiver)", "pulse_notifications_queued{job=\"pulseboard\"}", ""),
        panel("Notification attempts failed", "rate(pulse_notifications_failed_total{job=\"pulseboard\"}[5m])",
              "failures/s"),
    };
    return d;
}

} // namespace pulse
