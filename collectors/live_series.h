// LiveSeries: how many series all prometheus targets expose together, against one global limit. Each
// probe counts the series of its last good scrape; a scrape that would take the total past the limit
// fails ("live series limit exceeded") and its target counts nothing until it fits again, so a new or
// grown target cannot push the desktop past what it can hold, while the targets already in keep going.
//
// Thread-safe: probes on every I/O thread change it.
#pragma once

#include <atomic>
#include <cstdint>

namespace pulse {

class LiveSeries {
public:
    /// kDefaultLimit: ten times 200 node_exporters' worth; the writer holds ~0.9 KB a series.
    static constexpr std::int64_t kDefaultLimit = 2'000'000;

    explicit LiveSeries(std::int64_t limit = kDefaultLimit) : m_limit(limit) {}

    std::int64_t limit() const { return m_limit; }
    std::int64_t total() const { return m_total.load(std::memory_order_relaxed); }

    /// change moves a target's count from `from` to `to`: always when it shrinks, only within the limit
    /// when it grows (false then, and nothing changes).
    bool change(std::int64_t from, std::int64_t to)
    {
        const std::int64_t delta = to - from;
        if (delta <= 0) {
            m_total.fetch_add(delta, std::memory_order_relaxed);
            return true;
        }
        std::int64_t current = m_total.load(std::memory_order_relaxed);
        do {
            if (current + delta > m_limit)
                return false;
        } while (!m_total.compare_exchange_weak(current, current + delta, std::memory_order_relaxed));
        return true;
    }

private:
    const std::int64_t m_limit;
    std::atomic<std::int64_t> m_total{0};
};

} // namespace pulse
