// The demo service's traffic: how many requests arrive when, which routes they hit, how long they take
// and what they answer. Everything is a function of the seed, the time and the active incident; the
// simulator owns the random stream and the counters.
#pragma once

#include "demo/demo_random.h"
#include "demo/demo_types.h"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace pulse::demo {

/// RouteSpec describes one route of the simulated API.
struct RouteSpec {
    std::string_view method;
    std::string_view route;
    /// weight is the route's share of traffic, relative to the other routes.
    double weight;
    int okStatus;
    /// clientErrorStatus is answered with clientErrorRatio (400 for bad input, 404 for unknown ids).
    int clientErrorStatus;
    double clientErrorRatio;
    double medianSeconds;
    /// sigma is the log-normal spread of durations around the median.
    double sigma;
    std::int64_t meanBytes;
    /// backend routes reach the application (and suffer incidents); the others are served by nginx.
    bool backend;
    bool usesCache;
};

/// StatusShare is one status of a route and its probability.
struct StatusShare {
    int status;
    double probability;
};

/// SimulatedRequest is one request as the service saw it.
struct SimulatedRequest {
    std::size_t routeIndex = 0;
    std::string path;
    int status = 200;
    double durationSeconds = 0;
    std::int64_t bytes = 0;
    bool cacheLookup = false;
    bool cacheHit = false;
    /// entityId is the order or user the request was about (used in log messages).
    std::int64_t entityId = 0;
};

class TrafficModel {
public:
    static constexpr std::size_t kMaxStatuses = 4;
    /// kBaseServerErrorRatio is the share of backend answers that fail outside incidents.
    static constexpr double kBaseServerErrorRatio = 0.004;

    explicit TrafficModel(std::uint64_t seed);

    static std::span<const RouteSpec> routes();

    /// requestsPerSecond follows a daily curve by UTC hour (~5.5 at 03:00, ~55 at 15:00) with smooth noise.
    /// Incidents are not included: the caller decides whether the listener is open.
    double requestsPerSecond(std::int64_t atMs) const;

    /// drawRequest makes one request under the given incident.
    SimulatedRequest drawRequest(DemoRandom &random, const IncidentState &incident) const;

    /// statusShares lists the route's statuses and probabilities (summing to 1); returns how many.
    std::size_t statusShares(std::size_t routeIndex, const IncidentState &incident,
                             std::array<StatusShare, kMaxStatuses> &out) const;

    /// durationCdf is P(duration <= seconds) for the route under the incident.
    double durationCdf(std::size_t routeIndex, const IncidentState &incident, double seconds) const;
    double meanDurationSeconds(std::size_t routeIndex, const IncidentState &incident) const;
    /// meanBackendSeconds is the traffic-weighted mean duration of backend requests.
    double meanBackendSeconds(const IncidentState &incident) const;
    /// backendShare is the share of traffic that reaches the application.
    double backendShare() const;

    double cacheHitRatio(const IncidentState &incident) const;

private:
    double medianFor(std::size_t routeIndex, const IncidentState &incident) const;

    std::uint64_t m_seed;
};

} // namespace pulse::demo
