// MemoryHistory: an in-memory HistoryReader for the live GUI and for PromQL conformance tests.
#pragma once

#include "core/base/history_reader.h"

#include <cstdint>
#include <map>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pulse {

/// MemoryHistory keeps every series' samples sorted by time in memory.
///
/// Thread safety: all methods may be called from any thread; writers take an exclusive lock and
/// select() a shared one, so a query sees a consistent snapshot.
///
/// Retention: with a non-zero window, samples older than (newest appended timestamp - window) are
/// dropped as new samples arrive, and series left empty disappear.
class MemoryHistory : public HistoryReader {
public:
    MemoryHistory() = default;
    /// MemoryHistory with a retention window in milliseconds (0 keeps everything).
    explicit MemoryHistory(std::int64_t retentionMs);

    /// append adds one sample; a sample at an existing timestamp replaces the old value. Out-of-order
    /// samples are inserted in place.
    void append(std::string_view metric, const Labels &labels, std::int64_t timestampMs, double value);
    /// clear drops all series.
    void clear();
    /// dropBefore removes samples older than horizonMs.
    void dropBefore(std::int64_t horizonMs);
    void setRetention(std::int64_t retentionMs);

    std::size_t seriesCount() const;
    std::size_t sampleCount() const;

protected:
    /// read leaves out the samples outside `windows` (so the PromQL suite checks the engine's windows
    /// through it).
    Result<std::vector<SeriesData>> read(std::span<const LabelMatcher> matchers, std::int64_t startMs,
                                         std::int64_t endMs, const StepWindows *windows) const override;

private:
    using SeriesKey = std::pair<std::string, Labels>;
    struct Samples {
        std::vector<std::int64_t> timestampsMs;
        std::vector<double> values;
    };

    // Must be called with the exclusive lock held.
    void dropBeforeLocked(std::int64_t horizonMs);

    mutable std::shared_mutex m_mutex;
    std::map<SeriesKey, Samples> m_series;
    std::int64_t m_retentionMs = 0;
    std::int64_t m_newestMs = 0;
    std::int64_t m_prunedUpToMs = 0;
    bool m_hasSamples = false;
};

} // namespace pulse
