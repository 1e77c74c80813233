// Number formatting for alert annotations, as Prometheus's template functions do it.
#pragma once

#include <string>

namespace pulse {

/// goFloat prints a value as Go's fmt %v does for float64: the shortest text that reads back the same,
/// in exponent form below 1e-4 or from 1e21 on ("0.5", "1e+21", "NaN", "+Inf").
std::string goFloat(double value);

/// humanize uses SI prefixes with four significant digits: 1234567 → "1.235M", 0.0012 → "1.2m".
std::string humanize(double value);
/// humanize1024 uses binary prefixes: 1048576 → "1Mi".
std::string humanize1024(double value);
/// humanizePercentage multiplies by 100: 0.1234 → "12.34%".
std::string humanizePercentage(double value);
/// humanizeDuration reads seconds: 93784 → "1d 2h 3m 4s", 0.0015 → "1.5ms".
std::string humanizeDuration(double value);

} // namespace pulse
