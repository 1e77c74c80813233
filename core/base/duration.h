// Durations as users write them in config and PromQL: "5s", "1m30s", "250ms", "7d", "2y".
#pragma once

#include "core/base/error.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace pulse {

using Duration = std::chrono::milliseconds;

/// parseDuration accepts Prometheus's duration syntax: one or more <integer><unit> parts with
/// units y, w, d, h, m, s, ms in that order, each at most once ("1h30m", not "30m1h"). A bare "0" is
/// allowed. Years are 365 days and weeks 7 days, as in Prometheus. Negative values are rejected.
Result<Duration> parseDuration(std::string_view text);

/// formatDuration writes the shortest form parseDuration reads back to the same value ("1h30m").
std::string formatDuration(Duration d);

} // namespace pulse
