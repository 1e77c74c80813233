// HeadLogView: the read side of the head log (head_log.h) — the samples of every series that are
// committed but not yet in its head rows, so that readers see everything the writer committed.
//
// Memory: the view keeps the log rows' bytes (about 12 bytes a sample, at most a checkpoint cycle of
// them) and decodes only the series a query asked for (track), so a reader does not hold a decoded
// copy of every series' recent samples. Tracked series are forgotten when a checkpoint cycle deletes
// the rows they were decoded from.
//
// Not thread-safe: one per ReadConnection, refreshed inside that connection's read transaction.
#pragma once

#include "core/error.h"
#include "storage/series_scan.h"
#include "storage/sqlite_db.h"

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace pulse::storage {

class HeadLogView {
public:
    static Result<HeadLogView> prepare(SqliteDb &db);

    /// refresh brings the view up to the transaction's snapshot: rows added since the last refresh are
    /// kept (and decoded for tracked series); when rows were deleted (a checkpoint cycle completed), it
    /// starts over.
    Result<void> refresh();
    /// track makes samplesOf() answer for these series (one pass over the kept rows for new ones).
    Result<void> track(std::span<const std::int64_t> seriesIds);
    /// samplesOf is the logged samples of a tracked series, oldest first (may include samples that are
    /// also in its rows: callers keep those newer than the rows' end); null when it has none.
    const RawSamples *samplesOf(std::int64_t seriesId) const;
    /// bytes is the memory the view holds in row bytes (for tests and self-metrics).
    std::size_t bytes() const { return m_bytes; }

private:
    HeadLogView() = default;
    // decode appends one row's samples of tracked series (only those in `only`, when given).
    Result<void> decode(std::string_view row, const std::unordered_map<std::int64_t, bool> *only);

    Statement m_first;
    Statement m_rows;
    std::vector<std::pair<std::int64_t, std::string>> m_kept; // (seq, bytes), oldest first
    std::unordered_map<std::int64_t, RawSamples> m_bySeries;  // tracked series (possibly empty)
    std::size_t m_bytes = 0;
    std::int64_t m_firstSeq = 0;
    std::int64_t m_lastSeq = 0;
};

} // namespace pulse::storage
