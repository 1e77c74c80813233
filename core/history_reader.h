// HistoryReader: the read side of sample history that the PromQL engine evaluates over.
#pragma once

#include "core/error.h"
#include "core/labels.h"

#include <bit>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace pulse {

/// kStaleMarkerBits is the bit pattern of Prometheus's staleness marker, a NaN no arithmetic produces.
inline constexpr std::uint64_t kStaleMarkerBits = 0x7ff0000000000002ULL;

/// staleMarker returns the staleness marker value that ends a series.
inline double staleMarker()
{
    return std::bit_cast<double>(kStaleMarkerBits);
}

/// isStaleMarker tells the staleness marker apart from an ordinary NaN sample value.
inline bool isStaleMarker(double value)
{
    return std::bit_cast<std::uint64_t>(value) == kStaleMarkerBits;
}

/// LabelMatcher is one `name op "value"` of a selector. The metric name matches as label `__name__`.
/// Regex matchers are fully anchored, as in Prometheus.
struct LabelMatcher {
    enum class Op { Equal, NotEqual, Regex, NotRegex };
    std::string name;
    Op op = Op::Equal;
    std::string value;
};

/// SeriesData is one series' samples in [start, end], oldest first. Staleness markers (Prometheus's
/// special NaN) are kept as values; callers test them with isStaleMarker().
struct SeriesData {
    std::string metric;
    Labels labels; ///< without __name__
    std::vector<std::int64_t> timestampsMs;
    std::vector<double> values;
};

/// HistoryReader answers selector lookups. Implementations must be safe to call from a query thread
/// while writers append (each answer is a consistent snapshot of what was committed).
class HistoryReader {
public:
    virtual ~HistoryReader() = default;
    /// select returns every series matching all matchers with its samples in [startMs, endMs].
    /// Series without samples in the range may be omitted.
    virtual Result<std::vector<SeriesData>> select(std::span<const LabelMatcher> matchers, std::int64_t startMs,
                                                   std::int64_t endMs) const = 0;
};

} // namespace pulse
