// SeriesTable: lineages and packed keys (see series_table.h).
#include "core/base/series_table.h"

#include "core/base/series_key.h"

#include <atomic>

namespace pulse {

namespace {
std::atomic<std::uint64_t> g_nextLineage{1};
} // namespace

SeriesTable::SeriesTable() : m_lineage(g_nextLineage.fetch_add(1)) {}

std::uint32_t SeriesTable::add(std::string_view metric, const Labels &labels)
{
    appendSeriesKey(m_keys, metric, labels);
    m_ends.push_back(static_cast<std::uint32_t>(m_keys.size()));
    return static_cast<std::uint32_t>(m_ends.size() - 1);
}

void SeriesTable::compact()
{
    m_keys.shrink_to_fit();
    m_ends.shrink_to_fit();
}

SeriesEntry SeriesTable::at(std::uint32_t ref) const
{
    // Keys are only ever written by add(), so they always split and decode.
    SeriesEntry entry;
    if (const auto parts = splitSeriesKey(key(ref))) {
        entry.metric = std::string(parts->metric);
        if (auto labels = decodeLabels(parts->labelBlob))
            entry.labels = std::move(*labels);
    }
    return entry;
}

} // namespace pulse
