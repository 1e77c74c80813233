// Route table, daily load curve and per-request draws of the simulated API.
#include "demo/traffic_model.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace pulse::demo {
namespace {

constexpr std::uint64_t kRateNoiseChannel = 0x7261;

// Weights are relative shares of traffic; medians are what a small API on a warm database does.
constexpr std::array<RouteSpec, 9> kRoutes{{
    {"GET", "/", 3, 301, 0, 0.0, 0.0008, 0.30, 169, false, false},
    {"GET", "/static/app.js", 10, 200, 0, 0.0, 0.0020, 0.40, 48'213, false, false},
    {"GET", "/login", 4, 200, 0, 0.0, 0.0080, 0.40, 3'120, true, false},
    {"POST", "/login", 4, 200, 400, 0.08, 0.0900, 0.25, 412, true, false},
    {"POST", "/logout", 2, 204, 0, 0.0, 0.0040, 0.30, 0, true, false},
    {"GET", "/api/users", 22, 200, 0, 0.0, 0.0280, 0.55, 5'400, true, true},
    {"GET", "/api/orders", 18, 200, 0, 0.0, 0.0450, 0.60, 8'800, true, true},
    {"POST", "/api/orders", 6, 201, 400, 0.05, 0.1100, 0.50, 640, true, false},
    {"GET", "/api/orders/{id}", 25, 200, 404, 0.04, 0.0150, 0.50, 1'300, true, true},
}};

constexpr std::array<double, kRoutes.size()> routeWeights()
{
    std::array<double, kRoutes.size()> weights{};
    for (std::size_t i = 0; i < kRoutes.size(); ++i)
        weights[i] = kRoutes[i].weight;
    return weights;
}

constexpr std::array<double, kRoutes.size()> kRouteWeights = routeWeights();

double standardNormalCdf(double z)
{
    return 0.5 * std::erfc(-z / std::numbers::sqrt2);
}

std::string concretePath(const RouteSpec &spec, DemoRandom &random, std::int64_t entityId)
{
    const std::string_view route = spec.route;
    if (route == "/api/orders/{id}")
        return "/api/orders/" + std::to_string(entityId);
    if (spec.method == "GET" && route == "/api/users" && random.chance(0.2))
        return "/api/users?page=" + std::to_string(2 + random.index(8));
    if (spec.method == "GET" && route == "/api/orders" && random.chance(0.3))
        return "/api/orders?status=open&limit=50";
    return std::string(route);
}

std::int64_t bodyBytes(const RouteSpec &spec, int status, DemoRandom &random)
{
    if (status == 204)
        return 0;
    if (status == spec.okStatus) {
        if (spec.meanBytes == 0 || status == 301)
            return spec.meanBytes;
        return std::max<std::int64_t>(1, std::llround(double(spec.meanBytes) * std::exp(0.25 * random.normal())));
    }
    // Error pages are short JSON problem documents.
    return 60 + std::int64_t(random.index(140));
}

} // namespace

TrafficModel::TrafficModel(std::uint64_t seed) : m_seed(seed) {}

std::span<const RouteSpec> TrafficModel::routes()
{
    return kRoutes;
}

double TrafficModel::requestsPerSecond(std::int64_t atMs) const
{
    constexpr std::int64_t kDayMs = std::int64_t{24} * 3600 * 1000;
    std::int64_t ofDay = atMs % kDayMs;
    if (ofDay < 0)
        ofDay += kDayMs;
    const double hour = double(ofDay) / 3'600'000.0;
    // Quietest at 03:00 UTC, busiest at 15:00 UTC.
    const double daylight = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * (hour - 3.0) / 24.0);
    const double noise = smoothNoise(m_seed, kRateNoiseChannel, atMs, 20'000);
    // 5.5–55.5 req/s before noise; ±8 % noise keeps it inside 5–60 without flattening the peak.
    const double rate = (5.5 + 50.0 * daylight) * (1.0 + 0.08 * noise);
    return std::clamp(rate, 5.0, 60.0);
}

double TrafficModel::medianFor(std::size_t routeIndex, const IncidentState &incident) const
{
    const RouteSpec &spec = kRoutes[routeIndex];
    return spec.backend ? spec.medianSeconds * incident.latencyFactor : spec.medianSeconds;
}

std::size_t TrafficModel::statusShares(std::size_t routeIndex, const IncidentState &incident,
                                       std::array<StatusShare, kMaxStatuses> &out) const
{
    const RouteSpec &spec = kRoutes[routeIndex];
    double serverErrors = 0;
    if (spec.backend)
        serverErrors = incident.kind == IncidentKind::ErrorBurst ? incident.errorRatio : kBaseServerErrorRatio;
    const double clientErrors = spec.clientErrorRatio * (1.0 - serverErrors);
    std::size_t n = 0;
    out[n++] = {spec.okStatus, 1.0 - serverErrors - clientErrors};
    if (clientErrors > 0)
        out[n++] = {spec.clientErrorStatus, clientErrors};
    if (serverErrors > 0) {
        // Crashes in handlers dominate; 503 is the load shedder refusing work.
        out[n++] = {500, serverErrors * 0.7};
        out[n++] = {503, serverErrors * 0.3};
    }
    return n;
}

double TrafficModel::durationCdf(std::size_t routeIndex, const IncidentState &incident, double seconds) const
{
    if (seconds <= 0)
        return 0;
    const double median = medianFor(routeIndex, incident);
    return standardNormalCdf(std::log(seconds / median) / kRoutes[routeIndex].sigma);
}

double TrafficModel::meanDurationSeconds(std::size_t routeIndex, const IncidentState &incident) const
{
    const double sigma = kRoutes[routeIndex].sigma;
    return medianFor(routeIndex, incident) * std::exp(sigma * sigma / 2);
}

double TrafficModel::meanBackendSeconds(const IncidentState &incident) const
{
    double weighted = 0;
    double weights = 0;
    for (std::size_t i = 0; i < kRoutes.size(); ++i) {
        if (!kRoutes[i].backend)
            continue;
        weighted += kRoutes[i].weight * meanDurationSeconds(i, incident);
        weights += kRoutes[i].weight;
    }
    return weighted / weights;
}

double TrafficModel::backendShare() const
{
    double backend = 0;
    double all = 0;
    for (const RouteSpec &spec : kRoutes) {
        all += spec.weight;
        if (spec.backend)
            backend += spec.weight;
    }
    return backend / all;
}

double TrafficModel::cacheHitRatio(const IncidentState &incident) const
{
    // A latency spike is told as "the cache went cold and everything hit the database".
    return incident.kind == IncidentKind::LatencySpike ? 0.75 : 0.93;
}

SimulatedRequest TrafficModel::drawRequest(DemoRandom &random, const IncidentState &incident) const
{
    SimulatedRequest request;
    request.routeIndex = random.weightedIndex(kRouteWeights);
    const RouteSpec &spec = kRoutes[request.routeIndex];

    std::array<StatusShare, kMaxStatuses> shares{};
    const std::size_t count = statusShares(request.routeIndex, incident, shares);
    double pick = random.uniform();
    request.status = shares[0].status;
    for (std::size_t i = 0; i < count; ++i) {
        if (pick < shares[i].probability) {
            request.status = shares[i].status;
            break;
        }
        pick -= shares[i].probability;
    }

    request.durationSeconds = medianFor(request.routeIndex, incident) * std::exp(spec.sigma * random.normal());
    request.entityId = 1000 + std::int64_t(random.index(99'000));
    request.path = concretePath(spec, random, request.entityId);
    request.bytes = bodyBytes(spec, request.status, random);
    request.cacheLookup = spec.usesCache;
    request.cacheHit = spec.usesCache && random.chance(cacheHitRatio(incident));
    return request;
}

} // namespace pulse::demo
