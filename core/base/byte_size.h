// Sizes as users write them in config: "2GiB", "500MB", "4096". Units are powers of 1024, as in
// Prometheus's --storage.tsdb.retention.size (its "GB" is 2^30 bytes too).
#pragma once

#include "core/base/error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace pulse {

/// parseByteSize reads a whole number followed by an optional unit: B, KB/KiB, MB/MiB, GB/GiB,
/// TB/TiB (1024-based whichever is written). Overflow and anything else is an error that says what
/// is expected.
Result<std::uint64_t> parseByteSize(std::string_view text);

/// formatByteSize writes the largest unit that states the size exactly ("2GiB", "1536MiB", "100B").
std::string formatByteSize(std::uint64_t bytes);

} // namespace pulse
