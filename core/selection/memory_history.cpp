// In-memory sample history with optional retention.
#include "core/selection/memory_history.h"

#include "core/selection/series_matcher.h"

#include <algorithm>
#include <mutex>

namespace pulse {

MemoryHistory::MemoryHistory(std::int64_t retentionMs)
    : m_retentionMs(retentionMs)
{
}

void MemoryHistory::append(std::string_view metric, const Labels &labels, std::int64_t timestampMs, double value)
{
    std::unique_lock lock(m_mutex);
    Samples &s = m_series[SeriesKey{std::string(metric), labels}];
    if (s.timestampsMs.empty() || s.timestampsMs.back() < timestampMs) {
        s.timestampsMs.push_back(timestampMs);
        s.values.push_back(value);
    } else {
        auto it = std::lower_bound(s.timestampsMs.begin(), s.timestampsMs.end(), timestampMs);
        const auto index = it - s.timestampsMs.begin();
        if (it != s.timestampsMs.end() && *it == timestampMs) {
            s.values[static_cast<std::size_t>(index)] = value;
        } else {
            s.timestampsMs.insert(it, timestampMs);
            s.values.insert(s.values.begin() + index, value);
        }
    }
    if (!m_hasSamples || timestampMs > m_newestMs)
        m_newestMs = timestampMs;
    m_hasSamples = true;
    // Pruning walks every series, so do it at most once per tenth of the window.
    if (m_retentionMs > 0 && m_newestMs - m_retentionMs > m_prunedUpToMs + m_retentionMs / 10)
        dropBeforeLocked(m_newestMs - m_retentionMs);
}

void MemoryHistory::clear()
{
    std::unique_lock lock(m_mutex);
    m_series.clear();
    m_hasSamples = false;
    m_newestMs = 0;
    m_prunedUpToMs = 0;
}

void MemoryHistory::dropBefore(std::int64_t horizonMs)
{
    std::unique_lock lock(m_mutex);
    dropBeforeLocked(horizonMs);
}

void MemoryHistory::setRetention(std::int64_t retentionMs)
{
    std::unique_lock lock(m_mutex);
    m_retentionMs = retentionMs;
    if (m_retentionMs > 0 && m_hasSamples)
        dropBeforeLocked(m_newestMs - m_retentionMs);
}

void MemoryHistory::dropBeforeLocked(std::int64_t horizonMs)
{
    m_prunedUpToMs = horizonMs;
    for (auto it = m_series.begin(); it != m_series.end();) {
        Samples &s = it->second;
        const auto cut = std::lower_bound(s.timestampsMs.begin(), s.timestampsMs.end(), horizonMs);
        const auto count = cut - s.timestampsMs.begin();
        s.timestampsMs.erase(s.timestampsMs.begin(), cut);
        s.values.erase(s.values.begin(), s.values.begin() + count);
        if (s.timestampsMs.empty())
            it = m_series.erase(it);
        else
            ++it;
    }
}

std::size_t MemoryHistory::seriesCount() const
{
    std::shared_lock lock(m_mutex);
    return m_series.size();
}

std::size_t MemoryHistory::sampleCount() const
{
    std::shared_lock lock(m_mutex);
    std::size_t total = 0;
    for (const auto &[key, s] : m_series)
        total += s.values.size();
    return total;
}

Result<std::vector<SeriesData>> MemoryHistory::read(std::span<const LabelMatcher> matchers, std::int64_t startMs,
                                                    std::int64_t endMs, const StepWindows *windows) const
{
    auto matcher = promql::SeriesMatcher::compile(matchers);
    if (!matcher)
        return std::unexpected(matcher.error());
    std::vector<SeriesData> out;
    std::shared_lock lock(m_mutex);
    for (const auto &[key, s] : m_series) {
        if (!matcher->matches(key.first, key.second))
            continue;
        const auto first = std::lower_bound(s.timestampsMs.begin(), s.timestampsMs.end(), startMs);
        const auto last = std::upper_bound(first, s.timestampsMs.end(), endMs);
        if (first == last)
            continue;
        const auto from = first - s.timestampsMs.begin();
        const auto to = last - s.timestampsMs.begin();
        SeriesData data;
        data.metric = key.first;
        data.labels = key.second;
        if (windows == nullptr) {
            data.timestampsMs.assign(first, last);
            data.values.assign(s.values.begin() + from, s.values.begin() + to);
        } else {
            StepWindowFilter filter(*windows);
            for (auto i = from; i < to; ++i) {
                const auto index = static_cast<std::size_t>(i);
                if (filter.keep(s.timestampsMs[index])) {
                    data.timestampsMs.push_back(s.timestampsMs[index]);
                    data.values.push_back(s.values[index]);
                }
            }
            if (data.timestampsMs.empty())
                continue;
        }
        out.push_back(std::move(data));
    }
    return out;
}

} // namespace pulse
