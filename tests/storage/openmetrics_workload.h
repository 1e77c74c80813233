// OpenMetrics workload for comparison tests: two instances of a web service scraped every 15 s for
// 2 hours, with the shapes that make engines disagree when they are wrong — counters that reset
// (instance 2 restarts), two-decimal CPU seconds, integral and arbitrary-double gauges, a histogram
// with buckets, a series that stops (lookback and staleness), scrape jitter of a few milliseconds.
// Deterministic: the same options give the same bytes.
#pragma once

#include <cstdint>
#include <string>

namespace pulse::test {

struct WorkloadOptions {
    std::int64_t startMs = 1'717'200'000'000; ///< 2024-06-01T00:00:00Z, a 2-hour boundary
    std::int64_t intervalMs = 15'000;
    int scrapes = 480;       ///< 2 hours at 15 s
    int restartScrape = 250; ///< instance 2 restarts here: its counters start again from 0
    int stopScrape = 300;    ///< queue_depth of instance 2 is last written here
    std::uint64_t seed = 2024;
};

/// makeOpenMetricsWorkload returns the whole file, "# EOF" included.
std::string makeOpenMetricsWorkload(const WorkloadOptions &options = {});

} // namespace pulse::test
