// Number tokens of the exposition formats: sample values, timestamps and numeric label values.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace pulse::expo {

/// parseSampleValue reads a float as both formats write it: a decimal with optional sign, fraction
/// and exponent, or NaN, [+-]Inf, [+-]Infinity in any letter case. Hex floats and '_' separators are
/// rejected, as Prometheus and the OpenMetrics grammar do. Underflow gives a signed zero; overflow
/// is an error.
std::optional<double> parseSampleValue(std::string_view token);

/// parseRealNumber reads a decimal number only (no NaN or infinities): OpenMetrics timestamps.
std::optional<double> parseRealNumber(std::string_view token);

/// parseMillisTimestamp reads the text format's timestamp: decimal digits of an int64 in milliseconds.
std::optional<std::int64_t> parseMillisTimestamp(std::string_view token);

/// secondsToMillis rounds to the nearest millisecond and saturates at the int64 range; rounding rather
/// than truncating keeps decimal seconds like 1.005 (not exact in binary) at 1005 ms.
std::int64_t secondsToMillis(double seconds);

} // namespace pulse::expo
