// Rollup buckets presented as samples (see rollup_reader.h).
#include "storage/rollup_reader.h"

#include "storage/sqlite_history.h"

namespace pulse::storage {

namespace {

// interleave appends the stored buckets' last samples and the raw samples within [startMs, endMs] in
// time order. They come from disjoint buckets; a timestamp not after the previous one is skipped all
// the same, so a bucket migrated from before schema 3 (rollup_rebuild.h) cannot repeat a raw sample.
void interleave(const TierSeries &tier, std::int64_t startMs, std::int64_t endMs, SeriesData &out)
{
    const auto &raw = tier.raw;
    std::size_t b = 0, r = 0;
    auto emit = [&](std::int64_t ts, double value) {
        if (ts < startMs || ts > endMs || (!out.timestampsMs.empty() && ts <= out.timestampsMs.back()))
            return;
        out.timestampsMs.push_back(ts);
        out.values.push_back(value);
    };
    while (b < tier.buckets.size() || r < raw.timestampsMs.size()) {
        const bool takeBucket = r == raw.timestampsMs.size() ||
                                (b < tier.buckets.size() && tier.buckets[b].lastTimestampMs <= raw.timestampsMs[r]);
        if (takeBucket) {
            const RollupBucket &bucket = tier.buckets[b++];
            if (bucket.count > 0)
                emit(bucket.lastTimestampMs, bucket.last);
        } else {
            emit(raw.timestampsMs[r], raw.values[r]);
            ++r;
        }
    }
}

} // namespace

Result<std::vector<SeriesData>> RollupReader::read(std::span<const LabelMatcher> matchers, std::int64_t startMs,
                                                   std::int64_t endMs, const StepWindows *windows) const
{
    startMs = clampToStoredRange(startMs);
    endMs = clampToStoredRange(endMs);
    if (startMs > endMs)
        return std::vector<SeriesData>{};
    auto tiers = m_history.selectTier(matchers, bucketOf(startMs, m_resolutionMs), bucketOf(endMs, m_resolutionMs),
                                      m_resolutionMs, windows);
    if (!tiers)
        return std::unexpected(tiers.error());
    std::vector<SeriesData> out;
    out.reserve(tiers->size());
    for (TierSeries &t : *tiers) {
        SeriesData data;
        interleave(t, startMs, endMs, data);
        if (data.timestampsMs.empty())
            continue;
        data.metric = std::move(t.metric);
        data.labels = std::move(t.labels);
        out.push_back(std::move(data));
    }
    return out;
}

} // namespace pulse::storage
