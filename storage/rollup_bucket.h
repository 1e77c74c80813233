// RollupBucket: the aggregate of one series over one fixed time bucket (1 minute or 1 hour).
#pragma once

#include "core/history_reader.h"

#include <cmath>
#include <cstdint>

namespace pulse::storage {

/// RollupBucket holds min, max, sum, count and last of the samples in [startMs, startMs + resolution).
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

/// bucketStart floors a timestamp to its bucket (also for negative timestamps).
inline std::int64_t bucketStart(std::int64_t timestampMs, std::int64_t resolutionMs)
{
    const std::int64_t r = timestampMs % resolutionMs;
    return timestampMs - (r < 0 ? r + resolutionMs : r);
}

} // namespace pulse::storage
