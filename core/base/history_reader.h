// HistoryReader: the read side of sample history that the PromQL engine evaluates over.
#pragma once

#include "core/base/error.h"
#include "core/base/labels.h"

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

/// StepWindows are the windows a range query's steps look at: [end - widthMs, end] for every
/// end = firstEndMs + k * stepMs not after lastEndMs. A selector evaluated at each step of a range
/// query, whose lookback or range is shorter than the step (a month at 43-minute steps of `up` or
/// `rate(x[5m])`), needs only the samples inside them: often a tenth of the range.
struct StepWindows {
    std::int64_t firstEndMs = 0;
    std::int64_t lastEndMs = 0;
    std::int64_t stepMs = 1; ///< > 0
    std::int64_t widthMs = 0; ///< ≥ 0; the engine passes windows only below stepMs (wider ones save nothing)

    /// endAtOrAfter is the first window end at or after `ms` (beyond lastEndMs when there is none).
    std::int64_t endAtOrAfter(std::int64_t ms) const
    {
        if (ms <= firstEndMs)
            return firstEndMs;
        const std::int64_t k = (ms - firstEndMs + stepMs - 1) / stepMs;
        return firstEndMs + k * stepMs;
    }
    /// overlaps tells whether a window meets [fromMs, toMs] (a chunk's span).
    bool overlaps(std::int64_t fromMs, std::int64_t toMs) const
    {
        const std::int64_t end = endAtOrAfter(fromMs);
        return end <= lastEndMs && end - widthMs <= toMs;
    }
};

/// StepWindowFilter keeps the timestamps inside StepWindows. Fed in time order it divides once per
/// window rather than once per sample; any order gives the right answer.
class StepWindowFilter {
public:
    explicit StepWindowFilter(const StepWindows &windows) : m_windows(windows), m_end(windows.firstEndMs) {}
    bool keep(std::int64_t ms)
    {
        if (ms > m_end || ms <= m_end - m_windows.stepMs)
            m_end = m_windows.endAtOrAfter(ms);
        return m_end <= m_windows.lastEndMs && ms >= m_end - m_windows.widthMs;
    }
    /// keepInWindows drops the samples from index `from` on that are outside the windows, in place.
    void keepInWindows(std::vector<std::int64_t> &timestampsMs, std::vector<double> &values, std::size_t from)
    {
        std::size_t out = from;
        for (std::size_t i = from; i < timestampsMs.size(); ++i) {
            if (keep(timestampsMs[i])) {
                timestampsMs[out] = timestampsMs[i];
                values[out] = values[i];
                ++out;
            }
        }
        timestampsMs.resize(out);
        values.resize(out);
    }

private:
    StepWindows m_windows;
    std::int64_t m_end;
};

/// HistoryReader answers selector lookups. Implementations must be safe to call from a query thread
/// while writers append (each answer is a consistent snapshot of what was committed).
class HistoryReader {
public:
    virtual ~HistoryReader() = default;
    /// select returns every series matching all matchers with its samples in [startMs, endMs].
    /// Series without samples in the range may be omitted.
    Result<std::vector<SeriesData>> select(std::span<const LabelMatcher> matchers, std::int64_t startMs,
                                           std::int64_t endMs) const
    {
        return read(matchers, startMs, endMs, nullptr);
    }
    /// selectWindows is select for a query that looks only inside `windows`: a reader may leave out
    /// the samples outside them (a superset is a right answer).
    Result<std::vector<SeriesData>> selectWindows(std::span<const LabelMatcher> matchers, std::int64_t startMs,
                                                  std::int64_t endMs, const StepWindows &windows) const
    {
        return read(matchers, startMs, endMs, &windows);
    }

protected:
    /// read implements both: `windows` is null for select.
    virtual Result<std::vector<SeriesData>> read(std::span<const LabelMatcher> matchers, std::int64_t startMs,
                                                 std::int64_t endMs, const StepWindows *windows) const = 0;
};

} // namespace pulse
