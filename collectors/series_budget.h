// SeriesBudget: how many series a target has brought in for the first time within the last hour,
// against its series_limit. A sliding window of one-minute buckets: a target that churns its labels
// (a request id in a label) is stopped after `limit` new series and gets its budget back as the
// buckets of an hour ago expire, so the catalogue, the writer's heads and the scrape cache stay
// bounded however long it churns, while a steady target (new series only at its first scrape, or
// after a deploy) never comes near it.
//
// Not thread-safe: one probe uses it, one scrape at a time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace pulse {

class SeriesBudget {
public:
    static constexpr std::int64_t kWindowMs = 3'600'000;
    static constexpr std::size_t kBuckets = 60;

    /// limit 0 means unlimited.
    explicit SeriesBudget(std::uint64_t limit) : m_limit(limit) {}

    std::uint64_t limit() const { return m_limit; }
    /// used counts the new series recorded within the window that ends at nowMs.
    std::uint64_t used(std::int64_t nowMs);
    /// remaining is what a scrape at nowMs may still bring in (UINT64_MAX without a limit).
    std::uint64_t remaining(std::int64_t nowMs);
    /// record counts `count` new series at nowMs. Times going backwards (a clock step) count in the
    /// newest bucket.
    void record(std::int64_t nowMs, std::uint64_t count);

private:
    /// advance expires the buckets older than the window ending at nowMs.
    void advance(std::int64_t nowMs);

    std::uint64_t m_limit;
    std::array<std::uint64_t, kBuckets> m_counts{};
    std::int64_t m_newestBucket = INT64_MIN; ///< index (nowMs / bucket length) of the newest bucket
    std::uint64_t m_total = 0;
};

} // namespace pulse
