// 1-minute buckets from expiring raw chunks (see downsampler.h).
#include "storage/downsampler.h"

#include "storage/rollup_codec.h"
#include "storage/rollup_track.h"
#include "storage/series_head.h"

namespace pulse::storage {

Result<std::unique_ptr<Downsampler>> Downsampler::prepare(SqliteDb &db)
{
    auto scan = SeriesScan::prepare(db);
    if (!scan)
        return std::unexpected(scan.error());
    Statements st;
    struct Item {
        Statement *stmt;
        SqlText sql;
    };
    const Item items[] = {
        {&st.previous, "SELECT id, start_ms, end_ms, count, data FROM rollup_chunk WHERE resolution_ms = ?1 AND "
                       "series_id = ?2 AND start_ms < ?3 ORDER BY start_ms DESC LIMIT 1"},
        {&st.update, "UPDATE rollup_chunk SET end_ms = ?1, count = ?2, data = ?3 WHERE id = ?4"},
        {&st.insert, "INSERT INTO rollup_chunk(resolution_ms, series_id, start_ms, end_ms, count, data) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
    };
    for (const Item &item : items) {
        auto stmt = db.prepare(item.sql);
        if (!stmt)
            return std::unexpected(stmt.error());
        *item.stmt = std::move(*stmt);
    }
    return std::unique_ptr<Downsampler>(new Downsampler(std::move(*scan), std::move(st)));
}

Result<int> Downsampler::downsample(std::int64_t seriesId, std::int64_t firstStartMs, std::int64_t lastStartMs)
{
    std::vector<RollupBucket> stored;
    RawSamples raw;
    if (auto r = m_scan.readTier(kRollup1mMs, seriesId, firstStartMs, lastStartMs, stored, raw); !r)
        return std::unexpected(r.error());
    std::vector<RollupBucket> missing;
    appendBuckets(raw.timestampsMs, raw.values, kRollup1mMs, missing);
    if (missing.empty())
        return 0;
    auto appended = appendToPrevious(seriesId, missing);
    if (!appended)
        return std::unexpected(appended.error());
    if (!*appended) {
        const RollupEncoder encoded = RollupEncoder::encodeAll(missing);
        Statement &insert = m_stmts.insert;
        insert.reset();
        insert.bind(1, kRollup1mMs).bind(2, seriesId).bind(3, missing.front().startMs).bind(4, missing.back().startMs);
        insert.bind(5, std::int64_t{encoded.count()}).bindBlob(6, encoded.bytes());
        if (auto r = insert.run(); !r)
            return std::unexpected(r.error());
    }
    return static_cast<int>(missing.size());
}

Result<bool> Downsampler::appendToPrevious(std::int64_t seriesId, const std::vector<RollupBucket> &buckets)
{
    Statement &previous = m_stmts.previous;
    previous.reset();
    previous.bind(1, kRollup1mMs).bind(2, seriesId).bind(3, buckets.front().startMs);
    auto row = previous.step();
    if (!row)
        return std::unexpected(row.error());
    // The readers' index scans rely on a row spanning fewer than kRollupChunkBuckets resolutions.
    const bool fits = *row && previous.columnInt(2) < buckets.front().startMs &&
                      previous.columnInt(3) + static_cast<std::int64_t>(buckets.size()) <= kRollupChunkBuckets &&
                      buckets.back().startMs - previous.columnInt(1) < kRollupChunkBuckets * kRollup1mMs;
    if (!fits) {
        previous.reset();
        return false;
    }
    const std::int64_t id = previous.columnInt(0);
    std::vector<RollupBucket> all;
    if (auto r = decodeRollups(previous.columnText(4), INT64_MIN, INT64_MAX, all); !r) {
        previous.reset();
        return std::unexpected(r.error());
    }
    previous.reset();
    all.insert(all.end(), buckets.begin(), buckets.end());
    const RollupEncoder encoded = RollupEncoder::encodeAll(all);
    Statement &update = m_stmts.update;
    update.reset();
    update.bind(1, buckets.back().startMs).bind(2, std::int64_t{encoded.count()}).bindBlob(3, encoded.bytes());
    update.bind(4, id);
    if (auto r = update.run(); !r)
        return std::unexpected(r.error());
    return true;
}

} // namespace pulse::storage
