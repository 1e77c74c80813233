// SeriesTable: a scraped target's series, by reference — Prometheus's scrape cache idea. A probe
// gives each series it has seen a small number (its ref) and sends (ref, timestamp, value) triples
// instead of building the metric name and labels of every sample again at every scrape; the writer maps
// refs to its series once per table lineage. No strings are allocated or hashed per sample at steady
// state on either side.
//
// A table is immutable once shared: the probe copies it (same lineage, refs kept) before adding the
// series a later scrape brings, so a reader on another thread never sees it change.
//
// Memory: each series is kept as its key (series_key.h: the metric and final labels, length-prefixed),
// all keys back to back in one string — the form the writer looks series up by. About 110 bytes a
// node_exporter series where a metric string and a Labels of std::strings took ~300.
#pragma once

#include "core/base/labels.h"

#include <cstdint>
#include <string>
#include <string_view>
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
    std::size_t size() const { return m_ends.size(); }
    /// key is the series' identity as appendSeriesKey (series_key.h) writes it.
    std::string_view key(std::uint32_t ref) const
    {
        const std::uint32_t begin = ref == 0 ? 0 : m_ends[ref - 1];
        return std::string_view(m_keys).substr(begin, m_ends[ref] - begin);
    }
    /// at decodes a series' metric and labels (tests, tools; the writer uses key()).
    SeriesEntry at(std::uint32_t ref) const;
    /// add appends a series and returns its ref. Only on a table nobody else holds yet.
    std::uint32_t add(std::string_view metric, const Labels &labels);
    /// compact gives back the slack of growth. Only on a table nobody else holds yet.
    void compact();
    /// bytes is the memory the table holds (queues count it once per table).
    std::size_t bytes() const { return sizeof(*this) + m_keys.capacity() + m_ends.capacity() * sizeof(std::uint32_t); }

private:
    std::uint64_t m_lineage;
    std::string m_keys;                // every series' key, back to back
    std::vector<std::uint32_t> m_ends; // where each ref's key ends in m_keys
};

} // namespace pulse
