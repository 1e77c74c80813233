// The demo service's simulation loop and its HTTP answers (see demo_simulator.h for the design).
#include "demo/demo_simulator.h"

#include "demo/graphql_answer.h"
#include "demo/json_writer.h"

#include <algorithm>
#include <cmath>

namespace pulse::demo {
namespace {

/// kMaxTransitionLogSpanMs limits incident start/end lines to the last day of a long jump, so one call
/// cannot fill the log buffer with old incidents.
constexpr std::int64_t kMaxTransitionLogSpanMs = 24LL * 3600 * 1000;
/// kIdleCpuPerSecond is what the process burns with no traffic (timers, GC, metrics).
constexpr double kIdleCpuPerSecond = 0.004;
constexpr std::string_view kJson = "application/json";

/// roundTo keeps a few decimals for display; dividing by a power of ten (rather than multiplying by
/// 2) gives the double nearest the decimal, so it prints without a tail of digits.
double roundTo(double value, int decimals)
{
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

double cpuSecondsFor(const RouteSpec &spec)
{
    // CPU is a fraction of the undisturbed duration: waiting on a slow database costs no CPU.
    return spec.backend ? 0.0005 + 0.25 * spec.medianSeconds : 0.0002;
}

void logTransition(DemoLogWriter &logs, std::int64_t atMs, const IncidentState &incident, bool starting)
{
    switch (incident.kind) {
    case IncidentKind::LatencySpike:
        if (starting)
            logs.logEvent(atMs, "warn", "database latency elevated: cache cold, queries waiting for connections");
        else
            logs.logEvent(atMs, "info", "database latency back to normal");
        break;
    case IncidentKind::ErrorBurst:
        if (starting)
            logs.logEvent(atMs, "error", "error rate above 30%: payments backend failing");
        else
            logs.logEvent(atMs, "info", "error rate recovered");
        break;
    case IncidentKind::RefusedConnections:
        if (starting)
            logs.logEvent(atMs, "error", "listener closed: too many open files; refusing connections");
        else
            logs.logEvent(atMs, "info", "listener reopened on :8080");
        break;
    case IncidentKind::None:
        break;
    }
}

} // namespace

DemoSimulator::DemoSimulator(DemoOptions options, std::int64_t startMs)
    : m_options(std::move(options)), m_startMs(startMs), m_lastMs(startMs), m_random(mixBits(m_options.seed)),
      m_schedule(m_options.seed, m_options.incidentEveryMs, startMs), m_traffic(m_options.seed),
      m_gauges(m_options.seed), m_metrics(m_options.version, startMs), m_logs(m_options.seed),
      m_nextArrivalMs(double(startMs)), m_transitionCursorMs(startMs)
{
    for (const RouteSpec &spec : TrafficModel::routes())
        m_metrics.declareRoute(spec.route);
    m_nextArrivalMs += arrivalGapMs(startMs);
    m_logs.logEvent(startMs, "info", "shop-api " + m_options.version + " listening on :8080");
    updateGauges(startMs);
}

double DemoSimulator::arrivalGapMs(std::int64_t atMs)
{
    return m_random.exponential(1000.0 / m_traffic.requestsPerSecond(atMs));
}

void DemoSimulator::advanceTo(std::int64_t nowMs)
{
    if (nowMs <= m_lastMs)
        return;
    const std::int64_t detailFromMs = std::max(m_lastMs, nowMs - kDetailWindowMs);
    if (detailFromMs > m_lastMs)
        simulateBulk(m_lastMs, detailFromMs);
    simulateDetailed(detailFromMs, nowMs);
    m_metrics.addCpuSeconds(kIdleCpuPerSecond * double(nowMs - m_lastMs) / 1000.0);
    m_lastMs = nowMs;
    updateGauges(nowMs);
}

void DemoSimulator::simulateBulk(std::int64_t fromMs, std::int64_t toMs)
{
    const std::int64_t spanMs = toMs - fromMs;
    const std::int64_t sliceMs = std::max(kBulkSliceMs, (spanMs + kMaxBulkSlices - 1) / kMaxBulkSlices);
    const std::int64_t sampleEvery = std::max<std::int64_t>(1, (spanMs / sliceMs + 1) / kBulkSampledRequests);

    std::int64_t index = 0;
    for (std::int64_t t = fromMs; t < toMs; ++index) {
        const std::int64_t end = std::min({t + sliceMs, toMs, m_schedule.nextBoundaryAfter(t)});
        logIncidentTransitionsUpTo(t);
        const IncidentState incident = m_schedule.incidentAt(t);
        if (incident.kind != IncidentKind::RefusedConnections) {
            const double expected = m_traffic.requestsPerSecond(t + (end - t) / 2) * double(end - t) / 1000.0;
            const std::uint64_t count = m_random.roundStochastic(expected);
            addBulkRequests(count, incident);
            // The sampled request only feeds the logs; the counters above already include it.
            if (count > 0 && index % sampleEvery == 0) {
                const SimulatedRequest sample = m_traffic.drawRequest(m_random, incident);
                const std::int64_t atMs = t + std::int64_t(m_random.uniform() * double(end - t));
                m_logs.logRequest(sample, atMs, m_random);
            }
        }
        t = end;
    }
    m_nextArrivalMs = double(toMs) + arrivalGapMs(toMs);
}

void DemoSimulator::addBulkRequests(std::uint64_t count, const IncidentState &incident)
{
    const auto routes = TrafficModel::routes();
    double remainingWeight = 0;
    for (const RouteSpec &spec : routes)
        remainingWeight += spec.weight;

    // Split the count route by route, then status by status, each a binomial-like share of what is left,
    // so the parts always add up to the whole.
    std::uint64_t remaining = count;
    for (std::size_t i = 0; i < routes.size() && remaining > 0; ++i) {
        const RouteSpec &spec = routes[i];
        std::uint64_t share = remaining;
        if (i + 1 < routes.size() && remainingWeight > spec.weight)
            share = std::min(remaining, m_random.roundStochastic(double(remaining) * spec.weight / remainingWeight));
        remainingWeight -= spec.weight;
        remaining -= share;
        if (share == 0)
            continue;

        std::array<StatusShare, TrafficModel::kMaxStatuses> statuses{};
        const std::size_t statusCount = m_traffic.statusShares(i, incident, statuses);
        std::uint64_t left = share;
        double leftProbability = 1.0;
        for (std::size_t s = 0; s < statusCount; ++s) {
            std::uint64_t n = left;
            if (s + 1 < statusCount && leftProbability > statuses[s].probability)
                n = std::min(left, m_random.roundStochastic(double(left) * statuses[s].probability / leftProbability));
            leftProbability -= statuses[s].probability;
            left -= n;
            m_metrics.addRequests(spec.method, spec.route, statuses[s].status, n);
        }

        // One shared offset for every bound keeps the rounded cumulative counts monotonic.
        const double offset = m_random.uniform();
        DemoMetrics::BucketCounts perBucket{};
        std::uint64_t below = 0;
        for (std::size_t b = 0; b < kDurationBucketBounds.size(); ++b) {
            const double cdf = m_traffic.durationCdf(i, incident, kDurationBucketBounds[b]);
            const auto cumulative = std::min(share, std::uint64_t(std::floor(double(share) * cdf + offset)));
            perBucket[b] = cumulative - below;
            below = cumulative;
        }
        perBucket.back() = share - below;
        m_metrics.addDurations(spec.route, perBucket, double(share) * m_traffic.meanDurationSeconds(i, incident));

        if (spec.usesCache) {
            const std::uint64_t hits =
                std::min(share, m_random.roundStochastic(double(share) * m_traffic.cacheHitRatio(incident)));
            m_metrics.addCacheLookups(hits, share - hits);
        }
        m_metrics.addCpuSeconds(double(share) * cpuSecondsFor(spec));
    }
}

void DemoSimulator::simulateDetailed(std::int64_t fromMs, std::int64_t toMs)
{
    m_nextArrivalMs = std::max(m_nextArrivalMs, double(fromMs));
    while (m_nextArrivalMs < double(toMs)) {
        const auto atMs = std::int64_t(std::floor(m_nextArrivalMs));
        logIncidentTransitionsUpTo(atMs);
        const IncidentState incident = m_schedule.incidentAt(atMs);
        if (incident.kind == IncidentKind::RefusedConnections) {
            // Nobody gets through a closed listener; traffic resumes when it reopens.
            m_nextArrivalMs = double(incident.endMs) + arrivalGapMs(incident.endMs);
            continue;
        }
        const SimulatedRequest request = m_traffic.drawRequest(m_random, incident);
        recordRequest(request);
        m_logs.logRequest(request, atMs, m_random);
        m_nextArrivalMs += arrivalGapMs(atMs);
    }
    logIncidentTransitionsUpTo(toMs);
}

void DemoSimulator::recordRequest(const SimulatedRequest &request)
{
    const RouteSpec &spec = TrafficModel::routes()[request.routeIndex];
    m_metrics.addRequests(spec.method, spec.route, request.status, 1);
    m_metrics.observeDuration(spec.route, request.durationSeconds);
    if (request.cacheLookup)
        m_metrics.addCacheLookups(request.cacheHit ? 1 : 0, request.cacheHit ? 0 : 1);
    m_metrics.addCpuSeconds(cpuSecondsFor(spec));
}

void DemoSimulator::logIncidentTransitionsUpTo(std::int64_t atMs)
{
    if (!m_schedule.enabled())
        return;
    m_transitionCursorMs = std::max(m_transitionCursorMs, atMs - kMaxTransitionLogSpanMs);
    for (;;) {
        const std::int64_t boundary = m_schedule.nextBoundaryAfter(m_transitionCursorMs);
        if (boundary > atMs)
            break;
        const IncidentState started = m_schedule.incidentAt(boundary);
        if (started.kind != IncidentKind::None && started.startMs == boundary)
            logTransition(m_logs, boundary, started, true);
        else
            logTransition(m_logs, boundary, m_schedule.incidentAt(boundary - 1), false);
        m_transitionCursorMs = boundary;
    }
}

void DemoSimulator::updateGauges(std::int64_t atMs)
{
    const IncidentState incident = m_schedule.incidentAt(atMs);
    const GaugeReading reading =
        m_gauges.readingAt(atMs, m_traffic.requestsPerSecond(atMs), m_traffic.meanBackendSeconds(incident), incident);
    m_metrics.setDbPool(reading.dbIdle, reading.dbActive, reading.dbWaiting);
    m_metrics.setResidentBytes(reading.residentBytes);
    m_metrics.setActiveIncident(incident.kind);
    m_metrics.setDroppedLogLines(m_logs.droppedAccessLines(), m_logs.droppedAppLines());
}

DemoSnapshot DemoSimulator::snapshotAt(std::int64_t atMs) const
{
    const IncidentState incident = m_schedule.incidentAt(atMs);
    const GaugeReading reading =
        m_gauges.readingAt(atMs, m_traffic.requestsPerSecond(atMs), m_traffic.meanBackendSeconds(incident), incident);
    DemoSnapshot s;
    s.atMs = atMs;
    s.version = m_options.version;
    s.uptimeSeconds = std::max(0.0, double(atMs - m_startMs) / 1000.0);
    s.incident = incident;
    s.requestsTotal = m_metrics.requestsTotal();
    s.serverErrors = m_metrics.serverErrors();
    s.dbActive = reading.dbActive;
    s.dbIdle = reading.dbIdle;
    s.dbWaiting = reading.dbWaiting;
    s.queueDepth = reading.queueDepth;
    s.queueOldestAgeSeconds = reading.queueOldestAgeSeconds;
    const std::uint64_t lookups = m_metrics.cacheHits() + m_metrics.cacheMisses();
    s.cacheHitRatio = lookups == 0 ? 0.0 : double(m_metrics.cacheHits()) / double(lookups);
    s.activeUsers = reading.activeUsers;
    s.dbLatencyMs = reading.dbLatencyMs;
    s.cacheLatencyMs = reading.cacheLatencyMs;
    s.queueLatencyMs = reading.queueLatencyMs;
    return s;
}

std::string DemoSimulator::metricsText() const
{
    return m_metrics.render();
}

HttpAnswer DemoSimulator::health(std::int64_t nowMs) const
{
    const DemoSnapshot s = snapshotAt(nowMs);
    const std::string_view status = s.degraded() ? "degraded" : "ok";
    JsonWriter out;
    out.beginObject();
    out.stringMember("status", status);
    out.stringMember("version", s.version);
    out.integerMember("uptime_seconds", std::int64_t(s.uptimeSeconds));
    out.objectMember("checks");
    out.objectMember("database");
    out.stringMember("status", status);
    out.numberMember("latency_ms", roundTo(s.dbLatencyMs, 2));
    out.endObject();
    out.objectMember("cache");
    out.stringMember("status", "ok");
    out.numberMember("latency_ms", roundTo(s.cacheLatencyMs, 2));
    out.endObject();
    out.objectMember("queue");
    out.stringMember("status", "ok");
    out.numberMember("latency_ms", roundTo(s.queueLatencyMs, 2));
    out.integerMember("depth", s.queueDepth);
    out.endObject();
    out.endObject();
    out.endObject();
    return {s.degraded() ? 503 : 200, std::string(kJson), out.take()};
}

HttpAnswer DemoSimulator::stats() const
{
    const DemoSnapshot s = snapshotAt(m_lastMs);
    JsonWriter out;
    out.beginObject();
    out.objectMember("requests");
    out.integerMember("total", std::int64_t(s.requestsTotal));
    out.integerMember("errors", std::int64_t(s.serverErrors));
    out.numberMember("error_ratio", roundTo(s.errorRatio(), 4));
    out.endObject();
    out.objectMember("db");
    out.objectMember("connections");
    out.integerMember("active", s.dbActive);
    out.integerMember("idle", s.dbIdle);
    out.integerMember("waiting", s.dbWaiting);
    out.endObject();
    out.endObject();
    out.objectMember("queue");
    out.integerMember("depth", s.queueDepth);
    out.numberMember("oldest_age_seconds", roundTo(s.queueOldestAgeSeconds, 3));
    out.endObject();
    out.objectMember("cache");
    out.numberMember("hit_ratio", roundTo(s.cacheHitRatio, 4));
    out.endObject();
    out.objectMember("users");
    out.integerMember("active", s.activeUsers);
    out.endObject();
    out.numberMember("uptime_seconds", roundTo(s.uptimeSeconds, 3));
    out.endObject();
    return {200, std::string(kJson), out.take()};
}

HttpAnswer DemoSimulator::graphql(std::string_view requestBody) const
{
    return GraphqlAnswer(snapshotAt(m_lastMs)).answer(requestBody);
}

IncidentState DemoSimulator::incidentAt(std::int64_t nowMs) const
{
    return m_schedule.incidentAt(nowMs);
}

bool DemoSimulator::refusingConnections(std::int64_t nowMs) const
{
    return m_schedule.incidentAt(nowMs).kind == IncidentKind::RefusedConnections;
}

std::vector<std::string> DemoSimulator::takeAccessLogLines()
{
    return m_logs.takeAccessLines();
}

std::vector<std::string> DemoSimulator::takeAppLogLines()
{
    return m_logs.takeAppLines();
}

} // namespace pulse::demo
