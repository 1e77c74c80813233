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

#include "core/base/error.h"
#include "storage/series_scan.h"
#include "storage/sqlite_db.h"

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

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
    // IdBits is a set of series ids that answers with one bit test: a row holds a sample of every
    // series, and a hash lookup per sample was most of a refresh (the uptime column tracks 200 of
    // 100,000 series). Series ids are dense row ids; the rare ones beyond the bitmap go to a hash set.
    class IdBits {
    public:
        void insert(std::int64_t id)
        {
            if (id < 0 || id >= kMaxBits) {
                m_far.insert(id);
                return;
            }
            const auto i = static_cast<std::size_t>(id);
            if (i / 64 >= m_words.size())
                m_words.resize(i / 64 + 1);
            m_words[i / 64] |= std::uint64_t{1} << (i % 64);
        }
        bool contains(std::int64_t id) const
        {
            const auto i = static_cast<std::uint64_t>(id);
            if (i / 64 < m_words.size())
                return (m_words[i / 64] >> (i % 64)) & 1;
            return !m_far.empty() && (id < 0 || id >= kMaxBits) && m_far.contains(id);
        }
        void clear()
        {
            m_words.clear();
            m_far.clear();
        }

    private:
        static constexpr std::int64_t kMaxBits = std::int64_t{1} << 24; // a 2 MiB bitmap at most
        std::vector<std::uint64_t> m_words;
        std::unordered_set<std::int64_t> m_far;
    };

    HeadLogView() = default;
    // decodeRows decodes rows with first <= seq <= last into the tracked series that are in `only`
    // (every tracked series when null).
    Result<void> decodeRows(std::int64_t first, std::int64_t last, const IdBits *only);

    Statement m_bounds;
    Statement m_rows;
    std::unordered_map<std::int64_t, RawSamples> m_bySeries; // tracked series (possibly empty)
    IdBits m_tracked; // the keys of m_bySeries, and those of series whose tracking failed
    std::int64_t m_firstSeq = 0; // the snapshot's rows: m_firstSeq … m_lastSeq (none when first > last)
    std::int64_t m_lastSeq = 0;
};

} // namespace pulse::storage
