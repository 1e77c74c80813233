// The incident timetable of the demo service (see incident_schedule.h for the cycle).
#include "demo/incident_schedule.h"

#include "demo/demo_random.h"

#include <algorithm>
#include <limits>

namespace pulse::demo {
namespace {

constexpr std::uint64_t kIntensityChannel = 0x1c1d;

std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

} // namespace

IncidentSchedule::IncidentSchedule(std::uint64_t seed, std::int64_t periodMs, std::int64_t startMs)
    : m_seed(seed), m_periodMs(periodMs), m_startMs(startMs)
{
}

IncidentState IncidentSchedule::incidentNumber(std::int64_t k) const
{
    IncidentState state;
    std::int64_t durationMs = 0;
    const double intensity = hashUnit(m_seed, kIntensityChannel, std::uint64_t(k));
    switch (k % 3) {
    case 1:
        state.kind = IncidentKind::LatencySpike;
        durationMs = 60'000;
        state.latencyFactor = 10.0 + 10.0 * intensity;
        break;
    case 2:
        state.kind = IncidentKind::ErrorBurst;
        durationMs = 30'000;
        state.errorRatio = 0.35 + 0.10 * intensity;
        break;
    default:
        state.kind = IncidentKind::RefusedConnections;
        durationMs = 5'000;
        break;
    }
    durationMs = std::max<std::int64_t>(1, std::min(durationMs, m_periodMs / 2));
    state.startMs = m_startMs + k * m_periodMs;
    state.endMs = state.startMs + durationMs;
    return state;
}

IncidentState IncidentSchedule::incidentAt(std::int64_t atMs) const
{
    if (!enabled())
        return {};
    const std::int64_t k = floorDiv(atMs - m_startMs, m_periodMs);
    if (k < 1)
        return {};
    IncidentState state = incidentNumber(k);
    if (atMs >= state.endMs)
        return {};
    return state;
}

std::int64_t IncidentSchedule::nextBoundaryAfter(std::int64_t afterMs) const
{
    if (!enabled())
        return std::numeric_limits<std::int64_t>::max();
    const std::int64_t k = std::max<std::int64_t>(1, floorDiv(afterMs - m_startMs, m_periodMs));
    std::int64_t best = std::numeric_limits<std::int64_t>::max();
    // The answer is the current incident's end or one of the next two starts.
    for (std::int64_t i = k; i <= k + 1; ++i) {
        const IncidentState state = incidentNumber(i);
        if (state.startMs > afterMs)
            best = std::min(best, state.startMs);
        if (state.endMs > afterMs)
            best = std::min(best, state.endMs);
    }
    return best;
}

} // namespace pulse::demo
