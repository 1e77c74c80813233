// SeriesSet: the series an exposition has had so far, for finding duplicates.
//
// Why one small table per sample name instead of one table for everything: a large exposition has
// hundreds of thousands of series, and a single table of them does not fit in cache, so every
// sample paid a cache miss on its lookup. Exporters write the series of one name together, so the
// table of the current name stays hot. Series of different names are never the same series, so
// splitting by name loses nothing.
//
// The tables store a hash tag and the offset of the line that had the series first; a candidate with
// an equal tag is confirmed by the caller (who looks at that line again), so a hash collision never
// becomes a false duplicate.
#pragma once

#include "core/base/hash_index.h"
#include "core/exposition/exposition_parser.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace pulse::expo {

/// hashSeriesLabels hashes a sample's labels as a series identity: labels with an empty value are
/// left out, because an empty value is the same as no label (as in Prometheus). Labels must be
/// sorted by name.
std::uint64_t hashSeriesLabels(std::span<const LabelView> labels);

/// sameSeriesLabels compares two sorted label lists as hashSeriesLabels sees them.
bool sameSeriesLabels(std::span<const LabelView> a, std::span<const LabelView> b);

class SeriesSet {
public:
    /// clear forgets every series; the names it held may point into a previous input.
    void clear();

    /// tableOf returns the table of a sample name, making one for a new name.
    std::size_t tableOf(std::string_view name);

    /// insert records a series (labels, in the table of its name), first seen on the line at lineStart,
    /// unless an equal series is already there: then it returns that series' line offset and records
    /// nothing. sameAsLine(offset) must say whether the line at offset has the same name and labels.
    template <class SameAsLine>
    std::optional<std::uint32_t> insert(std::size_t table, std::span<const LabelView> labels, std::uint32_t lineStart,
                                        SameAsLine &&sameAsLine)
    {
        return m_tables[table].findOrInsert(hashSeriesLabels(labels), lineStart, sameAsLine);
    }

private:
    std::vector<HashIndex> m_tables; ///< kept between inputs (with their memory); m_used are in use
    std::size_t m_used = 0;
    std::vector<std::string_view> m_names; ///< the name of each table in use
    HashIndex m_tableByName;
};

} // namespace pulse::expo
