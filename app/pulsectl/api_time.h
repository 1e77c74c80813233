// Times as pulsectl's options take them, the way Prometheus's HTTP API reads them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace pulse::cli {

/// parseApiTime reads Unix seconds (1700000000.5) or RFC 3339; milliseconds are rounded.
std::optional<std::int64_t> parseApiTime(const std::string &text);

/// TimeRangeText is `--since D` or `--start T --end T` as given on a command line.
struct TimeRangeText {
    std::optional<std::string> since;
    std::optional<std::string> start;
    std::optional<std::string> end;
};

/// applyTimeRange sets fromMs to nowMs - D for --since, and fromMs / toMs to --start / --end (Unix
/// seconds or RFC 3339); what is not given keeps its value. The error is a usage message.
std::optional<std::string> applyTimeRange(const TimeRangeText &text, std::int64_t nowMs, std::int64_t &fromMs,
                                          std::int64_t &toMs);

} // namespace pulse::cli
