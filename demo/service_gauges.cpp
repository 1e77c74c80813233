// Gauges of the demo service, derived from load with Little's law plus smooth noise.
#include "demo/service_gauges.h"

#include "demo/demo_random.h"

#include <algorithm>
#include <cmath>

namespace pulse::demo {
namespace {

enum NoiseChannel : std::uint64_t {
    kPool = 0x9001,
    kQueue,
    kQueueAge,
    kUsers,
    kDbLatency,
    kCacheLatency,
    kQueueLatency
};

constexpr std::int64_t kMiB = std::int64_t{1024} * 1024;

} // namespace

ServiceGauges::ServiceGauges(std::uint64_t seed) : m_seed(seed) {}

double ServiceGauges::noise(std::uint64_t channel, std::int64_t atMs, std::int64_t periodMs) const
{
    return smoothNoise(m_seed, channel, atMs, periodMs);
}

GaugeReading ServiceGauges::readingAt(std::int64_t atMs, double requestsPerSecond, double meanBackendSeconds,
                                      const IncidentState &incident) const
{
    GaugeReading r;
    const bool refusing = incident.kind == IncidentKind::RefusedConnections;
    const double rate = refusing ? 0.0 : requestsPerSecond;

    // Little's law: connections in use = arrival rate × time each request holds one.
    const double inFlight = rate * 0.8 * meanBackendSeconds + 1.0 + 0.8 * noise(kPool, atMs, 5'000);
    const int wanted = std::max(0, int(std::lround(inFlight)));
    r.dbActive = std::min(wanted, kDbPoolSize);
    r.dbWaiting = std::max(0, wanted - kDbPoolSize);
    r.dbIdle = kDbPoolSize - r.dbActive;

    // Order jobs pile up while the database is slow. Being stateless, the queue empties as soon as the
    // spike ends; a real drain would need history this function deliberately does not keep.
    double backlog = 2.0 + rate * 0.15 * (1.0 + 0.3 * noise(kQueue, atMs, 30'000));
    if (incident.kind == IncidentKind::LatencySpike) {
        const double progress =
            double(atMs - incident.startMs) / double(std::max<std::int64_t>(1, incident.endMs - incident.startMs));
        backlog += 180.0 * std::clamp(progress, 0.0, 1.0);
    }
    r.queueDepth = std::max(0, int(std::lround(backlog)));
    r.queueOldestAgeSeconds = std::max(0.0, double(r.queueDepth) / 8.0 + 0.2 + 0.15 * noise(kQueueAge, atMs, 10'000));

    r.activeUsers =
        std::max(0, int(std::lround(requestsPerSecond * 14.0 * (1.0 + 0.05 * noise(kUsers, atMs, 60'000)))));

    // Memory: a base, per-connection buffers and a garbage-collection sawtooth with a 5 min period.
    const double sawtooth = double(((atMs % 300'000) + 300'000) % 300'000) / 300'000.0;
    r.residentBytes = 96 * kMiB + std::int64_t(24.0 * double(kMiB) * sawtooth) + std::int64_t(wanted) * 2 * kMiB;

    const double slowdown = incident.kind == IncidentKind::ErrorBurst ? 6.0 : incident.latencyFactor;
    r.dbLatencyMs = (1.4 + 0.5 * noise(kDbLatency, atMs, 7'000)) * slowdown;
    r.cacheLatencyMs = 0.35 + 0.1 * noise(kCacheLatency, atMs, 9'000);
    r.queueLatencyMs = 0.9 + 0.3 * noise(kQueueLatency, atMs, 11'000);
    return r;
}

} // namespace pulse::demo
