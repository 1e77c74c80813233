// Samples as collectors hand them on: values that cross threads by move, and the sink they go to.
#pragma once

#include "core/base/labels.h"
#include "core/base/series_table.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
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

/// MetricBatch is what one probe run produced: every sample of one scrape, committed together. Samples
/// come in two forms: `samples` names each series in full; `refSamples` name series of `series` by ref
/// (the prometheus probe's scrape cache, series_table.h). Consumers read both (forEachSample).
struct MetricBatch {
    std::string target; ///< the config's target name
    std::int64_t scrapeStartMs = 0;
    std::vector<Sample> samples;
    std::shared_ptr<const SeriesTable> series; ///< set when refSamples is not empty
    std::vector<RefSample> refSamples;
    /// seriesTableIsNew: `series` was made for this batch (queues count its memory with this batch).
    bool seriesTableIsNew = false;

    std::size_t size() const { return samples.size() + refSamples.size(); }
    /// forEachSample calls f(metric, labels, timestampMs, value) for every sample, full ones first.
    template <class F> void forEachSample(F f) const
    {
        for (const Sample &s : samples)
            f(std::string_view(s.metric), s.labels, s.timestampMs, s.value);
        for (const RefSample &r : refSamples) {
            const SeriesEntry &e = series->at(r.ref);
            f(std::string_view(e.metric), e.labels, r.timestampMs, r.value);
        }
    }
};

/// SampleSink receives batches from collector threads.
/// Implementations must be thread-safe and must not block for long (bounded queue, drop + count).
class SampleSink {
public:
    virtual ~SampleSink() = default;
    virtual void append(MetricBatch batch) = 0;
};

} // namespace pulse
