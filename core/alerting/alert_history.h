// alertHistory: the alert instances a history holds, read back from the ALERTS series the rules
// engine writes (one sample per evaluation while an alert is pending or firing, a staleness marker
// when it stops), for `pulsectl alerts` and reports.
//
//   ALERTS{alertstate="pending",...}  ●●●●●×            (× the staleness marker)
//   ALERTS{alertstate="firing",...}         ●●●●●●●●×
//   instance:                         active ─ fired ───── resolved
#pragma once

#include "core/base/history_reader.h"
#include "core/base/labels.h"

#include <cstdint>
#include <string>
#include <vector>

namespace pulse {

/// AlertInstance is one alert from when it became active until it resolved (or until now).
struct AlertInstance {
    std::string alertname;
    Labels labels;               ///< without alertstate (alertname included)
    std::int64_t activeAtMs = 0; ///< pending since (the firing time for rules without `for:`)
    std::int64_t firedAtMs = 0;  ///< 0: still pending
    std::int64_t endedAtMs = 0;  ///< 0: still active
    std::int64_t lastSeenMs = 0; ///< its last evaluation
    /// endKnown is false when the series stopped without a marker (Pulseboard stopped meanwhile):
    /// endedAtMs is then the last evaluation that saw it.
    bool endKnown = true;
    /// state is "pending", "firing" or "resolved".
    std::string state() const;
};

/// alertHistory turns ALERTS series (select {__name__="ALERTS"}) into instances, oldest first. A run
/// without a marker whose last sample is older than nowMs - openForMs, or followed by a gap longer
/// than openForMs (Pulseboard was stopped), ended when it was last seen (endKnown false); a pending
/// run that never fired is not an alert and is left out.
std::vector<AlertInstance> alertHistory(const std::vector<SeriesData> &alerts, std::int64_t nowMs,
                                        std::int64_t openForMs = 5 * 60 * 1000);

} // namespace pulse
