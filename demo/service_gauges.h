// The demo service's level-type state (database pool, job queue, active users, memory, dependency
// latencies) as a pure function of time, load and incident. Being stateless, it answers for any
// instant, so health(now) needs no simulation step.
#pragma once

#include "demo/demo_types.h"

#include <cstdint>

namespace pulse::demo {

struct GaugeReading {
    int dbActive = 0;
    int dbIdle = 0;
    int dbWaiting = 0;
    int queueDepth = 0;
    double queueOldestAgeSeconds = 0;
    int activeUsers = 0;
    std::int64_t residentBytes = 0;
    double dbLatencyMs = 0;
    double cacheLatencyMs = 0;
    double queueLatencyMs = 0;
};

class ServiceGauges {
public:
    static constexpr int kDbPoolSize = 20;

    explicit ServiceGauges(std::uint64_t seed);

    /// readingAt derives the gauges from the request rate at atMs, the mean backend duration (which
    /// already includes the incident's slowdown) and the incident.
    GaugeReading readingAt(std::int64_t atMs, double requestsPerSecond, double meanBackendSeconds,
                           const IncidentState &incident) const;

private:
    double noise(std::uint64_t channel, std::int64_t atMs, std::int64_t periodMs) const;

    std::uint64_t m_seed;
};

} // namespace pulse::demo
