// HeadLogView: the read side of the head log (head_log.h) — the samples of every series that are
// committed but not yet in its head rows, so that readers see everything the writer committed.
//
// Memory: the view keeps no log rows. It decodes only the series a query asked for (track), from the
// rows as SQLite pages them in, and keeps those series' samples; rows that arrive later are read once
// and decoded for them. Tracked series are forgotten when a checkpoint cycle deletes the rows they
// were decoded from. (Keeping the rows' bytes instead cost a reader up to two checkpoint cycles of
// every series' samples — tens of MiB at 100,000 series a second.)
//
// Not thread-safe: one per ReadConnection, used only inside that connection's read transaction.
#pragma once

#include "core/error.h"
#include "storage/series_scan.h"
#include "storage/sqlite_db.h"

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace pulse::storage {

class HeadLogView {
public:
    static Result<HeadLogView> prepare(SqliteDb &db);

    /// refresh brings the view up to the transaction's snapshot: rows added since the last refresh are
    /// decoded for tracked series; when rows were deleted (a checkpoint cycle completed), it starts over.
    Result<void> refresh();
    /// track makes samplesOf() answer for these series (one pass over the snapshot's rows for new ones).
    Result<void> track(std::span<const std::int64_t> seriesIds);
    /// samplesOf is the logged samples of a tracked series, oldest first (may include samples that are
    /// also in its rows: callers keep those newer than the rows' end); null when it has none.
    const RawSamples *samplesOf(std::int64_t seriesId) const;
    /// trackedSamples is how many decoded samples the view holds (for tests and self-metrics).
    std::size_t trackedSamples() const;

private:
    HeadLogView() = default;
    // decodeRows decodes rows with first <= seq <= last into the series of `into` found in `only`
    // (every tracked series when null).
    Result<void> decodeRows(std::int64_t first, std::int64_t last, const std::unordered_set<std::int64_t> *only);

    Statement m_bounds;
    Statement m_rows;
    std::unordered_map<std::int64_t, RawSamples> m_bySeries; // tracked series (possibly empty)
    std::int64_t m_firstSeq = 0; // the snapshot's rows: m_firstSeq … m_lastSeq (none when first > last)
    std::int64_t m_lastSeq = 0;
};

} // namespace pulse::storage
