// DemoSimulator: the pure simulation behind `pulsectl demo`, a small web API that Pulseboard can watch.
// No networking, threads, files or clock: the caller passes simulated time in, so a seed and a sequence
// of advanceTo() calls always produce the same metrics, answers and logs.
//
// How advanceTo(now) spends its work (it is called on every scrape, so it must stay cheap):
//
//   last ─────────── bulk ───────────┬──── detailed (≤ kDetailWindowMs) ────┐ now
//        slices of ≥ kBulkSliceMs:   │  one Poisson arrival at a time, each  │
//        counts drawn per slice and  │  request recorded and logged          │
//        spread over routes/statuses/│                                       │
//        buckets by expectation,     │                                       │
//        a sample of them logged     │                                       │
//
// Slices end at incident boundaries, so every slice sees one incident state. Both modes feed the same
// counters and keep them consistent (per-route, per-status and per-bucket parts always add up to the
// totals); only logging is sampled in the bulk part. Work per call is bounded by about
// kDetailWindowMs × peak rate requests plus kMaxBulkSlices slices, whatever the gap.
#pragma once

#include "demo/demo_log_writer.h"
#include "demo/demo_metrics.h"
#include "demo/demo_random.h"
#include "demo/demo_types.h"
#include "demo/incident_schedule.h"
#include "demo/service_gauges.h"
#include "demo/traffic_model.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pulse::demo {

/// DemoSimulator is one simulated service. Not thread-safe: its owner (the server's I/O thread) makes
/// every call.
class DemoSimulator {
public:
    /// kDetailWindowMs is the most recent part of a gap that is simulated request by request.
    static constexpr std::int64_t kDetailWindowMs = 20'000;
    static constexpr std::int64_t kBulkSliceMs = 10'000;
    static constexpr std::int64_t kMaxBulkSlices = 20'000;
    /// kBulkSampledRequests bounds the log lines sampled from the bulk part of one call.
    static constexpr std::int64_t kBulkSampledRequests = 500;

    DemoSimulator(DemoOptions options, std::int64_t startMs);

    /// advanceTo simulates every request between the previous call (or the start) and nowMs.
    /// A nowMs at or before the previous one is a no-op.
    void advanceTo(std::int64_t nowMs);

    /// metricsText is the /metrics body (Prometheus text format 0.0.4) as of the last advanceTo.
    std::string metricsText() const;
    /// health is GET /health at nowMs: 200 with status "ok", or 503 "degraded" during an ErrorBurst.
    HttpAnswer health(std::int64_t nowMs) const;
    /// stats is GET /stats as of the last advanceTo.
    HttpAnswer stats() const;
    /// graphql answers a POST /graphql body as of the last advanceTo (see graphql_answer.h for statuses).
    HttpAnswer graphql(std::string_view requestBody) const;

    IncidentState incidentAt(std::int64_t nowMs) const;
    /// refusingConnections is true while the listener should stay closed (a RefusedConnections incident).
    bool refusingConnections(std::int64_t nowMs) const;

    /// takeAccessLogLines returns nginx combined lines logged since the last call, without '\n'.
    std::vector<std::string> takeAccessLogLines();
    /// takeAppLogLines returns JSON lines logged since the last call; each element is one line.
    std::vector<std::string> takeAppLogLines();

    std::uint64_t requestsSimulated() const { return m_metrics.requestsTotal(); }
    std::int64_t simulatedUntilMs() const { return m_lastMs; }
    /// snapshotAt is what the service reports about itself at atMs, with counters as of the last advanceTo.
    DemoSnapshot snapshotAt(std::int64_t atMs) const;

private:
    void simulateBulk(std::int64_t fromMs, std::int64_t toMs);
    void simulateDetailed(std::int64_t fromMs, std::int64_t toMs);
    void addBulkRequests(std::uint64_t count, const IncidentState &incident);
    void recordRequest(const SimulatedRequest &request);
    void logIncidentTransitionsUpTo(std::int64_t atMs);
    void updateGauges(std::int64_t atMs);
    double arrivalGapMs(std::int64_t atMs);

    DemoOptions m_options;
    std::int64_t m_startMs;
    std::int64_t m_lastMs;
    DemoRandom m_random;
    IncidentSchedule m_schedule;
    TrafficModel m_traffic;
    ServiceGauges m_gauges;
    DemoMetrics m_metrics;
    DemoLogWriter m_logs;
    /// m_nextArrivalMs is when the next request arrives; it carries over between calls.
    double m_nextArrivalMs;
    /// m_transitionCursorMs is the instant up to which incident starts and ends have been logged.
    std::int64_t m_transitionCursorMs;
};

} // namespace pulse::demo
