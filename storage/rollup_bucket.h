// RollupBucket: the aggregate of one series over one fixed time bucket (1 minute or 1 hour).
//
// A bucket is the interval (startMs, startMs + resolution]: a sample taken exactly on a boundary belongs
// to the bucket that ends there. Scrapes are commonly aligned to the minute, and a query at an aligned
// step must see the sample taken at the step itself; with [start, start + resolution) the bucket's last
// sample would be one scrape older. Schema 3 switched to this (rollup_rebuild.h migrates older files).
#pragma once

#include "core/base/history_reader.h"

#include <cmath>
#include <cstdint>
#include <vector>

namespace pulse::storage {

/// RollupBucket holds min, max, sum, count and last of the samples in (startMs, startMs + resolution].
/// lastTimestampMs is the real timestamp of `last`, so rollup readers can hand out real samples.
struct RollupBucket {
    std::int64_t startMs = 0;
    std::int64_t lastTimestampMs = 0;
    std::int64_t count = 0;
    double min = 0;
    double max = 0;
    double sum = 0;
    double last = 0;

    /// add folds one sample in. Staleness markers are not observations and are skipped; other NaNs
    /// only win min/max when nothing else is there (as min_over_time/max_over_time do).
    void add(std::int64_t timestampMs, double value)
    {
        if (isStaleMarker(value))
            return;
        if (count == 0 || (std::isnan(min) && !std::isnan(value)) || value < min)
            min = value;
        if (count == 0 || (std::isnan(max) && !std::isnan(value)) || value > max)
            max = value;
        sum = count == 0 ? value : sum + value;
        last = value;
        lastTimestampMs = timestampMs;
        ++count;
    }

    friend bool operator==(const RollupBucket &, const RollupBucket &) = default;
};

/// clampToStoredRange bounds an open-ended query time: stored timestamps are within ±10^15 ms
/// (StoreWriter refuses others), so ±2·10^15 loses nothing and leaves room for bucket arithmetic.
inline std::int64_t clampToStoredRange(std::int64_t ms)
{
    constexpr std::int64_t kLimitMs = 2'000'000'000'000'000;
    return ms < -kLimitMs ? -kLimitMs : ms > kLimitMs ? kLimitMs : ms;
}

/// floorToResolution is the largest multiple of the resolution not above `ms` (also when negative).
inline std::int64_t floorToResolution(std::int64_t ms, std::int64_t resolutionMs)
{
    const std::int64_t r = ms % resolutionMs;
    return ms - (r < 0 ? r + resolutionMs : r);
}

/// bucketOf is the start of the bucket (start, start + resolution] holding `timestampMs`. Timestamps
/// are within ±10^15 ms (StoreWriter refuses others), so `timestampMs - 1` cannot overflow.
inline std::int64_t bucketOf(std::int64_t timestampMs, std::int64_t resolutionMs)
{
    return floorToResolution(timestampMs - 1, resolutionMs);
}

/// appendBuckets folds samples (oldest first) into buckets at `resolutionMs` and appends those that
/// hold an observation; a bucket of staleness markers only is left out, as the writer does.
inline void appendBuckets(const std::vector<std::int64_t> &timestampsMs, const std::vector<double> &values,
                          std::int64_t resolutionMs, std::vector<RollupBucket> &out)
{
    RollupBucket open;
    bool hasOpen = false;
    for (std::size_t i = 0; i < timestampsMs.size(); ++i) {
        const std::int64_t start = bucketOf(timestampsMs[i], resolutionMs);
        if (hasOpen && start != open.startMs && open.count > 0)
            out.push_back(open);
        if (!hasOpen || start != open.startMs) {
            open = RollupBucket{};
            open.startMs = start;
            hasOpen = true;
        }
        open.add(timestampsMs[i], values[i]);
    }
    if (hasOpen && open.count > 0)
        out.push_back(open);
}

} // namespace pulse::storage
