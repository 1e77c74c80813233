// Plain values shared by the demo service's simulation, its HTTP answers and the server around it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pulse::demo {

/// DemoOptions configures one simulated service; equal options and equal time steps give equal output.
struct DemoOptions {
    std::uint64_t seed = 1;
    /// incidentEveryMs is the period of the incident schedule; 0 (or less) disables incidents.
    std::int64_t incidentEveryMs = std::int64_t{10} * 60 * 1000;
    std::string version = "1.4.2";
};

enum class IncidentKind { None, LatencySpike, ErrorBurst, RefusedConnections };

/// incidentKindName is the snake_case name used in metric labels and logs ("latency_spike").
constexpr std::string_view incidentKindName(IncidentKind kind)
{
    switch (kind) {
    case IncidentKind::LatencySpike:
        return "latency_spike";
    case IncidentKind::ErrorBurst:
        return "error_burst";
    case IncidentKind::RefusedConnections:
        return "refused_connections";
    case IncidentKind::None:
        break;
    }
    return "none";
}

/// IncidentState is the incident active at some instant, over [startMs, endMs).
/// For IncidentKind::None the times are 0 and the intensities neutral.
struct IncidentState {
    IncidentKind kind = IncidentKind::None;
    std::int64_t startMs = 0;
    std::int64_t endMs = 0;
    /// latencyFactor multiplies backend request durations (10–20 during a LatencySpike, else 1).
    double latencyFactor = 1.0;
    /// errorRatio is the share of backend requests answered 5xx during an ErrorBurst (else 0).
    double errorRatio = 0.0;
};

/// HttpAnswer is a complete HTTP response for the server to send as is.
struct HttpAnswer {
    int status = 200;
    std::string contentType;
    std::string body;
};

/// DemoSnapshot is what the service reports about itself at one instant (health, stats, GraphQL).
struct DemoSnapshot {
    std::int64_t atMs = 0;
    std::string version;
    double uptimeSeconds = 0;
    IncidentState incident;
    std::uint64_t requestsTotal = 0;
    /// serverErrors counts answers with a 5xx status.
    std::uint64_t serverErrors = 0;
    int dbActive = 0;
    int dbIdle = 0;
    int dbWaiting = 0;
    int queueDepth = 0;
    double queueOldestAgeSeconds = 0;
    /// cacheHitRatio is hits / lookups since start, 0 before the first lookup.
    double cacheHitRatio = 0;
    int activeUsers = 0;
    double dbLatencyMs = 0;
    double cacheLatencyMs = 0;
    double queueLatencyMs = 0;

    bool degraded() const { return incident.kind == IncidentKind::ErrorBurst; }
    double errorRatio() const { return requestsTotal == 0 ? 0.0 : double(serverErrors) / double(requestsTotal); }
};

} // namespace pulse::demo
