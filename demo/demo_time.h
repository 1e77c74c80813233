// Timestamp text for the demo service's logs, from simulated milliseconds since the Unix epoch (UTC).
#pragma once

#include <cstdint>
#include <string>

namespace pulse::demo {

/// formatNginxTime is the $time_local of nginx's combined format in UTC: "29/Nov/2026:09:12:03 +0000".
std::string formatNginxTime(std::int64_t atMs);

/// formatIsoTime is RFC 3339 with milliseconds: "2026-11-29T09:12:03.123Z".
std::string formatIsoTime(std::int64_t atMs);

} // namespace pulse::demo
