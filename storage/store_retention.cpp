// Retention, series pruning and free-page release for the history writer (StoreWriter's members
// that delete: see store_writer.h, invariant 4). Not thread-safe: the writer's one thread drives them.
#include "storage/store_writer.h"
#include "storage/store_writer_statements.h"

#include "core/base/series_key.h"

#include <algorithm>
#include <optional>

namespace pulse::storage {

Result<bool> StoreWriter::enforceLogRetention(std::int64_t nowMs, std::int64_t retentionMs, std::uint64_t maxBytes,
                                              int maxRows)
{
    if (retentionMs <= 0 && (maxBytes == 0 || m_logs->bytes() <= static_cast<std::int64_t>(std::min<std::uint64_t>(maxBytes, INT64_MAX))))
        return false;
    if (auto r = m_db.exec("BEGIN IMMEDIATE"); !r)
        return fail("log retention: " + r.error().message);
    LogTableWriter::Expired done;
    auto expire = [&]() -> Result<void> {
        if (retentionMs > 0) {
            auto byAge = m_logs->expireOlderThan(nowMs - retentionMs, retentionMs, maxRows);
            if (!byAge)
                return std::unexpected(byAge.error());
            done = *byAge;
        }
        if (done.rows < maxRows) {
            auto bySize = m_logs->expireOverSize(maxBytes, maxRows - static_cast<int>(done.rows));
            if (!bySize)
                return std::unexpected(bySize.error());
            done.rows += bySize->rows;
            done.bytes += bySize->bytes;
            done.more = done.more || bySize->more;
        }
        return m_db.exec("COMMIT");
    }();
    if (!expire) {
        (void)m_db.exec("ROLLBACK");
        return fail("log retention: " + expire.error().message);
    }
    m_logs->expired(done);
    m_counters.expiredLogRecords += static_cast<std::uint64_t>(done.rows);
    return done.more;
}

Result<bool> StoreWriter::enforceRetention(std::int64_t nowMs, const RetentionMs &retention, int maxRows)
{
    if (hasPendingSamples())
        return true;
    if (auto r = m_db.exec("BEGIN IMMEDIATE"); !r)
        return fail("retention: " + r.error().message);
    bool more = false;
    auto run = [&](Statement &s) -> Result<void> {
        if (auto r = s.run(); !r)
            return r;
        const int changed = m_db.changes();
        m_counters.deletedChunks += static_cast<std::uint64_t>(changed);
        more = more || changed >= maxRows;
        return {};
    };
    Result<void> result;
    // Downsampling is pointless when the 1-minute tier would expire no later than the raw chunks.
    const bool downsample = retention.raw > 0 && (retention.m1 <= 0 || retention.m1 > retention.raw);
    if (downsample) {
        const std::int64_t minuteHorizon = retention.m1 > 0 ? nowMs - retention.m1 : INT64_MIN;
        auto expired = expireRawChunks(nowMs - retention.raw, minuteHorizon, std::max(1, maxRows / 4));
        if (expired)
            more = *expired;
        else
            result = std::unexpected(expired.error());
    } else if (retention.raw > 0) {
        m_stmts->deleteRawBefore.reset();
        m_stmts->deleteRawBefore.bind(1, nowMs - retention.raw).bind(2, std::int64_t{maxRows});
        result = run(m_stmts->deleteRawBefore);
    }
    for (auto [resolution, keep] : {std::pair{kRollup1mMs, retention.m1}, std::pair{kRollup1hMs, retention.h1}}) {
        if (!result || keep <= 0)
            continue;
        m_stmts->deleteRollupBefore.reset();
        m_stmts->deleteRollupBefore.bind(1, resolution).bind(2, nowMs - keep).bind(3, std::int64_t{maxRows});
        result = run(m_stmts->deleteRollupBefore);
    }
    if (result)
        result = m_db.exec("COMMIT");
    if (!result) {
        (void)m_db.exec("ROLLBACK");
        return fail("retention: " + result.error().message);
    }
    return more;
}

Result<std::int64_t> StoreWriter::releaseFreePages()
{
    auto pragma = [this](SqlText sql) -> Result<std::int64_t> {
        auto s = m_db.prepare(sql);
        if (!s)
            return std::unexpected(s.error());
        auto row = s->step();
        if (!row)
            return std::unexpected(row.error());
        return *row ? s->columnInt(0) : 0;
    };
    auto mode = pragma("PRAGMA auto_vacuum");
    if (!mode)
        return fail("cannot read auto_vacuum: " + mode.error().message);
    constexpr std::int64_t kIncremental = 2;
    if (*mode != kIncremental)
        return 0;
    auto freePages = pragma("PRAGMA freelist_count");
    auto pages = pragma("PRAGMA page_count");
    if (!freePages || !pages)
        return fail("cannot read the free page count: " + (!freePages ? freePages : pages).error().message);
    const std::int64_t reserve = std::max(kFreePagesReserve, *pages / 16);
    if (*freePages <= reserve)
        return 0;
    // The count is a literal (SQL text is never built); a smaller excess releases at most that much
    // more than needed, which the reserve absorbs.
    static_assert(kReleasePagesPerCall == 2048);
    if (auto r = m_db.exec("PRAGMA incremental_vacuum(2048)"); !r)
        return fail("cannot release free pages: " + r.error().message);
    auto after = pragma("PRAGMA freelist_count");
    if (!after)
        return fail("cannot read the free page count: " + after.error().message);
    return *freePages - *after;
}

Result<bool> StoreWriter::expireRawChunks(std::int64_t horizonMs, std::int64_t minuteHorizonMs, int maxRows)
{
    struct Expired {
        std::int64_t id, seriesId, startMs, endMs;
    };
    std::vector<Expired> expired;
    Statement &select = m_stmts->expiredRaw;
    select.reset();
    select.bind(1, horizonMs).bind(2, std::int64_t{maxRows});
    auto listed = select.forEachRow([&] {
        expired.push_back({select.columnInt(0), select.columnInt(1), select.columnInt(2), select.columnInt(3)});
    });
    if (!listed)
        return std::unexpected(listed.error());
    select.reset();
    // Oldest end first (the chunk_by_end order): a series' chunks expire in time order, so Downsampler
    // can append each one's buckets to the row it wrote for the one before.
    for (const Expired &e : expired) {
        // A chunk whose every bucket is already past the 1-minute horizon would be downsampled for nothing.
        if (e.endMs >= minuteHorizonMs) {
            if (auto r = downsampleChunk(e.seriesId, e.startMs, e.endMs); !r)
                return std::unexpected(r.error());
        }
        m_stmts->deleteRaw.reset();
        m_stmts->deleteRaw.bind(1, e.id);
        if (auto r = m_stmts->deleteRaw.run(); !r)
            return std::unexpected(r.error());
        ++m_counters.deletedChunks;
    }
    return static_cast<int>(expired.size()) >= maxRows;
}

Result<void> StoreWriter::downsampleChunk(std::int64_t seriesId, std::int64_t startMs, std::int64_t endMs)
{
    const std::int64_t first = bucketOf(startMs, kRollup1mMs);
    const std::int64_t last = bucketOf(endMs, kRollup1mMs);
    // The series' open 1-minute bucket lies in this chunk only when the series stopped right after the
    // chunk sealed (or writes samples older than the raw horizon). If the track holds that bucket
    // complete, it keeps it (keepOpen) and Downsampler skips it; if it opened after a restart, it is
    // incomplete: Downsampler writes it from the raw samples and the track drops it. The track's "open"
    // bucket may also be one a restart restored from the row — a closed one — with later minutes after
    // it in raw samples only: those are downsampled too.
    std::optional<std::int64_t> skip;
    if (SeriesHead *head = headById(seriesId)) {
        const auto open = head->rollup1m().openStartMs();
        if (open && *open >= first && *open <= last && head->rollup1m().keepOpen())
            skip = *open;
        // Downsampler reads rows only: bring this head's rows up to date first (the head log may hold
        // samples of these minutes, and closed buckets the row does not have yet), in the transaction
        // that deletes the raw samples.
        if (skip || head->dirty() || head->rollup1m().rowChanged()) {
            if (auto r = writeHeadRows(*head); !r)
                return r;
        }
    }
    auto run = [&](std::int64_t from, std::int64_t to) -> Result<void> {
        if (from > to)
            return {};
        auto written = m_downsampler->downsample(seriesId, from, to);
        if (!written)
            return std::unexpected(written.error());
        m_counters.downsampledBuckets += static_cast<std::uint64_t>(*written);
        return {};
    };
    if (!skip)
        return run(first, last);
    if (auto r = run(first, *skip - kRollup1mMs); !r)
        return r;
    return run(*skip + kRollup1mMs, last);
}

Result<std::size_t> StoreWriter::pruneSeries(std::int64_t nowMs, const RetentionMs &retention, std::size_t maxSeries)
{
    if (retention.raw <= 0 || retention.m1 <= 0 || retention.h1 <= 0 || maxSeries == 0)
        return 0;
    if (hasPendingSamples() || !m_newSeries.empty())
        return 0;
    // A 1-hour bucket ends up to an hour after its last sample, and its chunk lives until then.
    const std::int64_t horizon = nowMs - std::max({retention.raw, retention.m1, retention.h1}) - kRollup1hMs;
    // Candidates whose chunks have not all expired yet are looked at again on the next call; four
    // times as many as may be pruned bounds the lookups of one call.
    const std::vector<std::size_t> candidates = pruneCandidates(horizon, 4 * maxSeries);
    if (candidates.empty())
        return 0;
    if (auto r = m_db.exec("BEGIN IMMEDIATE"); !r)
        return fail("pruning series: " + r.error().message);
    std::vector<std::size_t> pruned;
    auto deleted = [&]() -> Result<void> {
        for (std::size_t index : candidates) {
            if (pruned.size() >= maxSeries)
                break;
            auto gone = deleteSeriesRows(m_heads[index].seriesId());
            if (!gone)
                return std::unexpected(gone.error());
            if (*gone)
                pruned.push_back(index);
        }
        if (pruned.empty())
            return {};
        m_stmts->notePruned.reset();
        m_stmts->notePruned.bind(1, m_nextId);
        return m_stmts->notePruned.run();
    }();
    if (deleted)
        deleted = m_db.exec("COMMIT");
    if (!deleted) {
        (void)m_db.exec("ROLLBACK");
        return fail("pruning series: " + deleted.error().message);
    }
    dropHeads(pruned);
    m_counters.prunedSeries += pruned.size();
    return pruned.size();
}

std::vector<std::size_t> StoreWriter::pruneCandidates(std::int64_t horizonMs, std::size_t limit)
{
    std::vector<std::size_t> out;
    const std::size_t n = m_heads.size();
    if (m_pruneCursor >= n)
        m_pruneCursor = 0;
    std::size_t i = m_pruneCursor;
    for (std::size_t seen = 0; seen < n && out.size() < limit; ++seen, i = (i + 1) % n) {
        const SeriesHead &h = m_heads[i];
        if (h.hasLastTimestamp() && h.lastTimestampMs() < horizonMs)
            out.push_back(i);
    }
    m_pruneCursor = i;
    std::sort(out.begin(), out.end());
    return out;
}

Result<bool> StoreWriter::deleteSeriesRows(std::int64_t seriesId)
{
    Statements &st = *m_stmts;
    auto exists = [](Statement &s) -> Result<bool> {
        auto row = s.step();
        if (!row)
            return std::unexpected(row.error());
        const bool found = *row && s.columnInt(0) != 0;
        s.reset();
        return found;
    };
    st.hasChunk.reset();
    st.hasChunk.bind(1, seriesId);
    auto raw = exists(st.hasChunk);
    if (!raw || *raw)
        return raw;
    for (std::int64_t resolution : {kRollup1mMs, kRollup1hMs}) {
        st.hasRollup.reset();
        st.hasRollup.bind(1, resolution).bind(2, seriesId);
        auto rollup = exists(st.hasRollup);
        if (!rollup || *rollup)
            return rollup;
    }
    // The label index rows are found by their key (name, value, id): read the identity first.
    st.seriesRow.reset();
    st.seriesRow.bind(1, seriesId);
    auto row = st.seriesRow.step();
    if (!row)
        return std::unexpected(row.error());
    if (*row) {
        const std::string metric(st.seriesRow.columnText(0));
        const std::string labels(st.seriesRow.columnText(1));
        st.seriesRow.reset();
        Result<void> result;
        auto dropLabel = [&](std::string_view name, std::string_view value) {
            if (!result)
                return;
            st.deleteLabel.reset();
            st.deleteLabel.bindBlob(1, name).bindBlob(2, value).bind(3, seriesId);
            result = st.deleteLabel.run();
        };
        dropLabel("__name__", metric);
        if (!forEachLabel(labels, dropLabel))
            return fail("internal error: the labels of series " + std::to_string(seriesId) + " do not decode");
        if (!result)
            return std::unexpected(result.error());
    }
    st.seriesRow.reset();
    st.deleteSeries.reset();
    st.deleteSeries.bind(1, seriesId);
    if (auto r = st.deleteSeries.run(); !r)
        return std::unexpected(r.error());
    st.deleteHead.reset();
    st.deleteHead.bind(1, seriesId);
    if (auto r = st.deleteHead.run(); !r)
        return std::unexpected(r.error());
    for (std::int64_t resolution : {kRollup1mMs, kRollup1hMs}) {
        st.deleteRollupHead.reset();
        st.deleteRollupHead.bind(1, resolution).bind(2, seriesId);
        if (auto r = st.deleteRollupHead.run(); !r)
            return std::unexpected(r.error());
    }
    return true;
}

void StoreWriter::dropHeads(const std::vector<std::size_t> &pruned)
{
    if (pruned.empty())
        return;
    // Precondition (pruneSeries): nothing pending, so no index sits in m_mustWrite, m_touched or
    // m_newSeries. The ref maps are caches: emptied, each ref is looked up again once.
    std::vector<std::uint32_t> newIndex(m_heads.size(), SeriesKeyIndex::kGone);
    std::deque<SeriesHead> kept;
    std::size_t next = 0;
    std::size_t cursor = 0;
    for (std::size_t i = 0; i < m_heads.size(); ++i) {
        if (next < pruned.size() && pruned[next] == i) {
            ++next;
            continue;
        }
        if (i < m_cursor)
            ++cursor;
        newIndex[i] = static_cast<std::uint32_t>(kept.size());
        kept.push_back(std::move(m_heads[i]));
    }
    m_heads = std::move(kept);
    m_index.compact(newIndex);
    m_refMaps.clear();
    m_cursor = cursor;
    m_pruneCursor = 0;
    m_counters.seriesCount = m_heads.size();
}

SeriesHead *StoreWriter::headById(std::int64_t seriesId)
{
    auto it = std::lower_bound(m_heads.begin(), m_heads.end(), seriesId,
                               [](const SeriesHead &h, std::int64_t id) { return h.seriesId() < id; });
    return it != m_heads.end() && it->seriesId() == seriesId ? &*it : nullptr;
}

} // namespace pulse::storage
