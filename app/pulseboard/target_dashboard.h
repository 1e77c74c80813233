// targetDashboard: the drill-down view of one target, as a dashboard built from its kind.
#pragma once

#include "core/config/config.h"

#include <string>
#include <string_view>
#include <vector>

namespace pulse {

/// promqlString quotes a value as a PromQL string literal ("api \"v2\"" stays one label value).
std::string promqlString(std::string_view value);

/// targetDashboard is the target's own charts: `up`/`probe_success`, its latency, and what its kind
/// provides (request rate, error ratio for the demo-style HTTP metrics it exposes), all filtered to
/// `job="<name>"`. With `withAlerts`, a last panel charts the target's alert history (the ALERTS
/// series: one line per alert and state while it was pending or firing).
DashboardConfig targetDashboard(const TargetConfig &target, bool withAlerts = false);

/// logTargetsOf lists the `kind: log` targets that belong to a target: the target itself if it is
/// one, and log targets named "<name>-…" or labelled `job` or `service` = name.
std::vector<std::string> logTargetsOf(const Config &config, const std::string &name);

} // namespace pulse
