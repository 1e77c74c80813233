// alertDrillDown: what "Show" on an alert opens — its job's charts from a while before it started to
// a little after it ended (or to now) and the log lines of the moment it started. Shared by the
// alerts dock's Show button and a click on the alert's desktop notification.
#pragma once

#include "core/alerting/alert.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace pulse {

struct AlertDrillDown {
    QString job;
    std::int64_t startMs = 0;
    std::int64_t endMs = 0;
    std::int64_t atMs = 0; ///< the moment the logs open at: when the alert became active
};

/// alertDrillDown is nullopt for an alert without a `job` label (no target to open).
std::optional<AlertDrillDown> alertDrillDown(const Alert &alert, std::int64_t nowMs);

} // namespace pulse
