// Samples as collectors hand them on: values that cross threads by move, and the sink they go to.
#pragma once

#include "core/labels.h"

#include <cstdint>
#include <string>
#include <vector>

namespace pulse {

/// Sample is one observation of one series. `labels` includes the metric name's companions only
/// (not `__name__`); the name is in `metric`.
struct Sample {
    std::string metric;
    Labels labels;
    std::int64_t timestampMs = 0;
    double value = 0;
};

/// MetricBatch is what one probe run produced: every sample of one scrape, committed together.
struct MetricBatch {
    std::string target; ///< the config's target name
    std::int64_t scrapeStartMs = 0;
    std::vector<Sample> samples;
};

/// SampleSink receives batches from collector threads.
/// Implementations must be thread-safe and must not block for long (bounded queue, drop + count).
class SampleSink {
public:
    virtual ~SampleSink() = default;
    virtual void append(MetricBatch batch) = 0;
};

} // namespace pulse
