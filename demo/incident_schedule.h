// The demo service's incident timetable: which incident is active at any instant, as a pure function of
// the options and the start time.
//
// Incident k (k = 1, 2, …) starts at startMs + k·period and cycles through the kinds:
//
//   k % 3 == 1: LatencySpike        60 s, backend durations × 10–20
//   k % 3 == 2: ErrorBurst          30 s, ~40 % of backend answers 5xx
//   k % 3 == 0: RefusedConnections   5 s, the listener is closed
//
// A duration is capped at half the period so incidents never overlap, even with the short periods tests
// use. Start times carry no jitter on purpose: the demo exists so alert rules and tests have something
// predictable to fire on. The seed only varies each incident's intensity.
#pragma once

#include "demo/demo_types.h"

#include <cstdint>

namespace pulse::demo {

class IncidentSchedule {
public:
    IncidentSchedule(std::uint64_t seed, std::int64_t periodMs, std::int64_t startMs);

    /// incidentAt is the incident active at atMs, or a None state.
    IncidentState incidentAt(std::int64_t atMs) const;

    /// nextBoundaryAfter is the first instant > afterMs at which an incident starts or ends, or
    /// INT64_MAX when incidents are disabled. Simulation slices end there so each slice sees one state.
    std::int64_t nextBoundaryAfter(std::int64_t afterMs) const;

    bool enabled() const { return m_periodMs > 0; }

private:
    IncidentState incidentNumber(std::int64_t k) const;

    std::uint64_t m_seed;
    std::int64_t m_periodMs;
    std::int64_t m_startMs;
};

} // namespace pulse::demo
