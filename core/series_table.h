// SeriesTable: a scraped target's series, by reference — Prometheus's scrape cache idea. A probe
// gives each series it has seen a small number (its ref) and sends (ref, timestamp, value) triples
// instead of building the metric name and labels of every sample again at every scrape; the writer maps
// refs to its series once per table lineage. No strings are allocated or hashed per sample at steady
// state on either side.
//
// A table is immutable once shared: the probe copies it (same lineage, refs kept) before adding the
// series a later scrape brings, so a reader on another thread never sees it change.
#pragma once

#include "core/labels.h"

#include <cstdint>
#include <string>
#include <vector>

namespace pulse {

struct SeriesEntry {
    std::string metric;
    Labels labels;
};

/// RefSample is one sample of the series `ref` of a batch's SeriesTable.
struct RefSample {
    std::uint32_t ref = 0;
    std::int64_t timestampMs = 0;
    double value = 0;
};

class SeriesTable {
public:
    /// SeriesTable starts an empty table of a new lineage.
    SeriesTable();

    /// lineage is shared by every copy of a table: refs of one lineage always name the same series.
    std::uint64_t lineage() const { return m_lineage; }
    std::size_t size() const { return m_entries.size(); }
    const SeriesEntry &at(std::uint32_t ref) const { return m_entries[ref]; }
    /// add appends a series and returns its ref. Only on a table nobody else holds yet.
    std::uint32_t add(std::string metric, Labels labels);
    std::size_t bytes() const { return m_bytes; }

private:
    std::uint64_t m_lineage;
    std::vector<SeriesEntry> m_entries;
    std::size_t m_bytes = 0;
};

} // namespace pulse
