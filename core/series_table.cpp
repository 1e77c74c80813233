// SeriesTable: lineages and entries (see series_table.h).
#include "core/series_table.h"

#include <atomic>

namespace pulse {

namespace {
std::atomic<std::uint64_t> g_nextLineage{1};
} // namespace

SeriesTable::SeriesTable() : m_lineage(g_nextLineage.fetch_add(1)) {}

std::uint32_t SeriesTable::add(std::string metric, Labels labels)
{
    m_bytes += sizeof(SeriesEntry) + metric.size() + labels.size() * sizeof(Label);
    for (const Label &l : labels)
        m_bytes += l.name.size() + l.value.size();
    m_entries.push_back(SeriesEntry{std::move(metric), std::move(labels)});
    return static_cast<std::uint32_t>(m_entries.size() - 1);
}

} // namespace pulse
