// Times as pulsectl's options take them, the way Prometheus's HTTP API reads them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace pulse::cli {

/// parseApiTime reads Unix seconds (1700000000.5) or RFC 3339; milliseconds are rounded.
std::optional<std::int64_t> parseApiTime(const std::string &text);

} // namespace pulse::cli
