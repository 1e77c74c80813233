// SeriesBudget: a target's new series over the last hour (see series_budget.h).
#include "collectors/series_budget.h"

#include <limits>

namespace pulse {

namespace {
constexpr std::int64_t kBucketMs = SeriesBudget::kWindowMs / static_cast<std::int64_t>(SeriesBudget::kBuckets);

std::int64_t bucketOf(std::int64_t ms)
{
    // Floor division: times before 1970 (a test clock at 0) still land in the right bucket.
    return ms >= 0 ? ms / kBucketMs : -((-ms + kBucketMs - 1) / kBucketMs);
}

std::size_t slotOf(std::int64_t bucket)
{
    const auto n = static_cast<std::int64_t>(SeriesBudget::kBuckets);
    return static_cast<std::size_t>(((bucket % n) + n) % n);
}
} // namespace

void SeriesBudget::advance(std::int64_t nowMs)
{
    const std::int64_t bucket = bucketOf(nowMs);
    if (m_newestBucket == INT64_MIN || bucket - m_newestBucket >= static_cast<std::int64_t>(kBuckets)) {
        m_counts.fill(0);
        m_total = 0;
        m_newestBucket = bucket;
        return;
    }
    while (m_newestBucket < bucket) {
        ++m_newestBucket;
        std::uint64_t &slot = m_counts[slotOf(m_newestBucket)];
        m_total -= slot;
        slot = 0;
    }
}

std::uint64_t SeriesBudget::used(std::int64_t nowMs)
{
    advance(nowMs);
    return m_total;
}

std::uint64_t SeriesBudget::remaining(std::int64_t nowMs)
{
    if (m_limit == 0)
        return std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t u = used(nowMs);
    return u >= m_limit ? 0 : m_limit - u;
}

void SeriesBudget::record(std::int64_t nowMs, std::uint64_t count)
{
    advance(nowMs);
    m_counts[slotOf(m_newestBucket)] += count;
    m_total += count;
}

} // namespace pulse
