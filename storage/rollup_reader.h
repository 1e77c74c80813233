// RollupReader: a HistoryReader that answers from 1-minute or 1-hour rollups instead of raw chunks.
#pragma once

#include "core/base/history_reader.h"

#include <cstdint>

namespace pulse::storage {

class SqliteHistory;

/// RollupReader hands out, per stored bucket, the bucket's last sample (its real timestamp and value),
/// and the raw samples of the buckets that are not stored (a sparse series' 1-minute buckets until its
/// raw chunks expire, see rollup_track.h). Either way a true subsample of the raw series, so `rate`,
/// `increase`, instant selectors and `histogram_quantile` over bucket counters keep their meaning at
/// steps ≥ the resolution; at steps aligned to the resolution an instant selector answers exactly as
/// over raw samples, because a bucket (start, start + resolution] ends with the sample taken at the
/// step. Dense series read ~resolution/interval times fewer points. `*_over_time` functions see the
/// subsample (see docs/storage.md).
class RollupReader final : public HistoryReader {
public:
    RollupReader(const SqliteHistory &history, std::int64_t resolutionMs)
        : m_history(history), m_resolutionMs(resolutionMs)
    {
    }

    std::int64_t resolutionMs() const { return m_resolutionMs; }

protected:
    Result<std::vector<SeriesData>> read(std::span<const LabelMatcher> matchers, std::int64_t startMs,
                                         std::int64_t endMs, const StepWindows *windows) const override;

private:

    const SqliteHistory &m_history;
    std::int64_t m_resolutionMs;
};

} // namespace pulse::storage
