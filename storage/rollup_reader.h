// RollupReader: a HistoryReader that answers from 1-minute or 1-hour rollups instead of raw chunks.
#pragma once

#include "core/history_reader.h"

#include <cstdint>

namespace pulse::storage {

class SqliteHistory;

/// RollupReader hands out, per bucket, the bucket's last sample (its real timestamp and value). That
/// is a true subsample of the raw series, so `rate`, `increase`, instant selectors and
/// `histogram_quantile` over bucket counters keep their meaning at steps ≥ the resolution, while
/// reading ~60× fewer points. `*_over_time` functions see the subsample (see docs/storage.md).
class RollupReader final : public HistoryReader {
public:
    RollupReader(const SqliteHistory &history, std::int64_t resolutionMs)
        : m_history(history), m_resolutionMs(resolutionMs)
    {
    }

    Result<std::vector<SeriesData>> select(std::span<const LabelMatcher> matchers, std::int64_t startMs,
                                           std::int64_t endMs) const override;
    std::int64_t resolutionMs() const { return m_resolutionMs; }

private:
    const SqliteHistory &m_history;
    std::int64_t m_resolutionMs;
};

} // namespace pulse::storage
