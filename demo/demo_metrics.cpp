// Storage and Prometheus rendering of the demo service's metrics.
#include "demo/demo_metrics.h"

#include "demo/prometheus_text_writer.h"

#include <algorithm>

namespace pulse::demo {

DemoMetrics::DemoMetrics(std::string version, std::int64_t startMs)
    : m_version(std::move(version)), m_startSeconds(double(startMs) / 1000.0)
{
}

void DemoMetrics::declareRoute(std::string_view route)
{
    if (m_durations.find(route) == m_durations.end())
        m_durations.emplace(std::string(route), Histogram{});
}

void DemoMetrics::addRequests(std::string_view method, std::string_view route, int status, std::uint64_t count)
{
    if (count == 0)
        return;
    m_requests[RequestKey{std::string(route), std::string(method), status}] += count;
    m_requestsTotal += count;
    if (status >= 500)
        m_serverErrors += count;
}

void DemoMetrics::observeDuration(std::string_view route, double seconds)
{
    declareRoute(route);
    Histogram &histogram = m_durations.find(route)->second;
    const auto bound = std::lower_bound(kDurationBucketBounds.begin(), kDurationBucketBounds.end(), seconds);
    histogram.buckets[std::size_t(bound - kDurationBucketBounds.begin())] += 1;
    histogram.sum += seconds;
    histogram.count += 1;
}

void DemoMetrics::addDurations(std::string_view route, const BucketCounts &perBucket, double sumSeconds)
{
    declareRoute(route);
    Histogram &histogram = m_durations.find(route)->second;
    for (std::size_t i = 0; i < kBucketCount; ++i) {
        histogram.buckets[i] += perBucket[i];
        histogram.count += perBucket[i];
    }
    histogram.sum += sumSeconds;
}

void DemoMetrics::addCacheLookups(std::uint64_t hits, std::uint64_t misses)
{
    m_cacheHits += hits;
    m_cacheMisses += misses;
}

void DemoMetrics::setDbPool(int idle, int active, int waiting)
{
    m_dbIdle = idle;
    m_dbActive = active;
    m_dbWaiting = waiting;
}

void DemoMetrics::setDroppedLogLines(std::uint64_t access, std::uint64_t app)
{
    m_droppedAccessLines = access;
    m_droppedAppLines = app;
}

std::string DemoMetrics::render() const
{
    PrometheusTextWriter out;

    out.family("http_requests_total", "counter", "HTTP requests answered, by method, route and status.");
    for (const auto &[key, count] : m_requests) {
        const auto &[route, method, status] = key;
        const std::string statusText = std::to_string(status);
        out.sample("http_requests_total", {{"method", method}, {"route", route}, {"status", statusText}}, count);
    }

    out.family("http_request_duration_seconds", "histogram", "Time from request received to response sent.");
    for (const auto &[route, histogram] : m_durations) {
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < kBucketCount; ++i) {
            cumulative += histogram.buckets[i];
            const std::string le = i < kDurationBucketBounds.size()
                                       ? PrometheusTextWriter::formatValue(kDurationBucketBounds[i])
                                       : std::string("+Inf");
            out.sample("http_request_duration_seconds_bucket", {{"route", route}, {"le", le}}, cumulative);
        }
        out.sample("http_request_duration_seconds_sum", {{"route", route}}, histogram.sum);
        out.sample("http_request_duration_seconds_count", {{"route", route}}, histogram.count);
    }

    out.family("db_pool_connections", "gauge", "Database pool connections by state.");
    out.sample("db_pool_connections", {{"state", "idle"}}, double(m_dbIdle));
    out.sample("db_pool_connections", {{"state", "active"}}, double(m_dbActive));
    out.sample("db_pool_connections", {{"state", "waiting"}}, double(m_dbWaiting));

    out.family("cache_hits_total", "counter", "Cache lookups that found the entry.");
    out.sample("cache_hits_total", {}, m_cacheHits);
    out.family("cache_misses_total", "counter", "Cache lookups that went to the database.");
    out.sample("cache_misses_total", {}, m_cacheMisses);

    out.family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.");
    out.sample("process_cpu_seconds_total", {}, m_cpuSeconds);
    out.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
    out.sample("process_resident_memory_bytes", {}, double(m_residentBytes));
    out.family("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.");
    out.sample("process_start_time_seconds", {}, m_startSeconds);

    out.family("demo_incident_active", "gauge", "1 while the simulated incident of this kind is running.");
    for (IncidentKind kind : {IncidentKind::LatencySpike, IncidentKind::ErrorBurst, IncidentKind::RefusedConnections})
        out.sample("demo_incident_active", {{"kind", incidentKindName(kind)}}, kind == m_activeIncident ? 1.0 : 0.0);

    out.family("demo_log_lines_dropped_total", "counter",
               "Log lines dropped because nobody collected them before the buffer filled.");
    out.sample("demo_log_lines_dropped_total", {{"stream", "access"}}, m_droppedAccessLines);
    out.sample("demo_log_lines_dropped_total", {{"stream", "app"}}, m_droppedAppLines);

    out.family("demo_build_info", "gauge", "Build information of the demo service; the value is always 1.");
    out.sample("demo_build_info", {{"version", m_version}}, 1.0);

    return out.take();
}

} // namespace pulse::demo
