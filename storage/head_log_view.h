// HeadLogView: the read side of the head log (head_log.h) — the samples of every series that are
// committed but not yet in its head rows, so that readers see everything the writer committed.
//
// Not thread-safe: one per ReadConnection, refreshed inside that connection's read transaction.
#pragma once

#include "core/error.h"
#include "storage/series_scan.h"
#include "storage/sqlite_db.h"

#include <cstdint>
#include <unordered_map>

namespace pulse::storage {

class HeadLogView {
public:
    static Result<HeadLogView> prepare(SqliteDb &db);

    /// refresh brings the view up to the transaction's snapshot: rows added since the last refresh are
    /// decoded; when rows were deleted (a checkpoint cycle completed), it starts over.
    Result<void> refresh();
    /// samplesOf is the logged samples of one series, oldest first (may include samples that are also
    /// in its rows: callers keep those newer than the rows' end); null when it has none.
    const RawSamples *samplesOf(std::int64_t seriesId) const;
    bool empty() const { return m_bySeries.empty(); }

private:
    HeadLogView() = default;

    Statement m_first;
    Statement m_rows;
    std::unordered_map<std::int64_t, RawSamples> m_bySeries;
    std::int64_t m_firstSeq = 0;
    std::int64_t m_lastSeq = 0;
};

} // namespace pulse::storage
