// Rollup buckets presented as samples (see rollup_reader.h).
#include "storage/rollup_reader.h"

#include "storage/sqlite_history.h"

namespace pulse::storage {

Result<std::vector<SeriesData>> RollupReader::select(std::span<const LabelMatcher> matchers, std::int64_t startMs,
                                                     std::int64_t endMs) const
{
    // A bucket that starts before startMs may still end inside the range with its last sample.
    auto rollups = m_history.selectRollups(matchers, bucketStart(startMs, m_resolutionMs), endMs, m_resolutionMs);
    if (!rollups)
        return std::unexpected(rollups.error());
    std::vector<SeriesData> out;
    out.reserve(rollups->size());
    for (RollupSeries &r : *rollups) {
        SeriesData data;
        data.metric = std::move(r.metric);
        data.labels = std::move(r.labels);
        for (const RollupBucket &b : r.buckets) {
            if (b.count == 0 || b.lastTimestampMs < startMs || b.lastTimestampMs > endMs)
                continue;
            data.timestampsMs.push_back(b.lastTimestampMs);
            data.values.push_back(b.last);
        }
        if (!data.timestampsMs.empty())
            out.push_back(std::move(data));
    }
    return out;
}

} // namespace pulse::storage
