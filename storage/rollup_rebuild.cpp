// Schema 3's rollup rebuild (see rollup_rebuild.h).
#include "storage/rollup_rebuild.h"

#include "storage/rollup_track.h"
#include "storage/series_head.h"
#include "storage/series_scan.h"

#include <algorithm>

namespace pulse::storage {

namespace {

struct Statements {
    Statement series, deleteChunks, deleteHead, insertChunk, insertHead;
};

Result<void> insertRow(Statement &s, std::int64_t resolutionMs, std::int64_t seriesId, std::int64_t startMs,
                       std::int64_t endMs, int count, std::string_view data)
{
    s.reset();
    s.bind(1, resolutionMs).bind(2, seriesId).bind(3, startMs).bind(4, endMs).bind(5, std::int64_t{count});
    s.bindBlob(6, data);
    return s.run();
}

// sealKept writes buckets as chunks within the readers' bounds: fewer than kRollupChunkBuckets buckets
// and a span below kRollupChunkBuckets resolutions.
Result<void> sealKept(Statement &insert, std::int64_t resolutionMs, std::int64_t seriesId,
                      const std::vector<RollupBucket> &buckets)
{
    std::size_t begin = 0;
    while (begin < buckets.size()) {
        std::size_t end = begin + 1;
        while (end < buckets.size() && end - begin < static_cast<std::size_t>(kRollupChunkBuckets) &&
               buckets[end].startMs - buckets[begin].startMs < kRollupChunkBuckets * resolutionMs)
            ++end;
        const std::vector<RollupBucket> part(buckets.begin() + static_cast<std::ptrdiff_t>(begin),
                                             buckets.begin() + static_cast<std::ptrdiff_t>(end));
        const RollupEncoder encoded = RollupEncoder::encodeAll(part);
        if (auto r = insertRow(insert, resolutionMs, seriesId, part.front().startMs, part.back().startMs,
                               encoded.count(), encoded.bytes());
            !r)
            return r;
        begin = end;
    }
    return {};
}

Result<void> rebuildSeries(Statements &st, SeriesScan &scan, std::int64_t seriesId, std::int64_t resolutionMs,
                           RollupTrack::Policy policy, const RawSamples &raw)
{
    std::vector<RollupBucket> kept;
    if (auto r = scan.readBuckets(resolutionMs, seriesId, INT64_MIN, INT64_MAX, kept); !r)
        return r;
    std::size_t replayFrom = 0;
    if (!raw.timestampsMs.empty()) {
        const std::int64_t joint = bucketOf(raw.timestampsMs.front(), resolutionMs);
        std::erase_if(kept, [&](const RollupBucket &b) { return b.startMs > joint; });
        // The old bucket [joint, joint + resolution) holds samples whose raw chunks expired unless the
        // raw samples before joint + resolution account for all of it; then it is rebuilt like the rest.
        if (!kept.empty() && kept.back().startMs == joint) {
            std::int64_t rawCount = 0;
            for (std::size_t i = 0; i < raw.timestampsMs.size() && raw.timestampsMs[i] < joint + resolutionMs; ++i)
                rawCount += isStaleMarker(raw.values[i]) ? 0 : 1;
            if (rawCount == kept.back().count) {
                kept.pop_back();
            } else {
                RollupBucket &bucket = kept.back();
                for (; replayFrom < raw.timestampsMs.size() && raw.timestampsMs[replayFrom] <= joint + resolutionMs;
                     ++replayFrom) {
                    if (raw.timestampsMs[replayFrom] > bucket.lastTimestampMs)
                        bucket.add(raw.timestampsMs[replayFrom], raw.values[replayFrom]);
                }
            }
        }
    }
    for (Statement *s : {&st.deleteChunks, &st.deleteHead}) {
        s->reset();
        s->bind(1, resolutionMs).bind(2, seriesId);
        if (auto r = s->run(); !r)
            return r;
    }
    RollupTrack track(resolutionMs, policy);
    SealedChunks sealed;
    if (replayFrom == raw.timestampsMs.size() && !kept.empty()) {
        // Nothing after the kept buckets: the newest becomes the head row, so the writer goes on
        // adding to it when the next sample falls in it.
        const RollupEncoder head = RollupEncoder::encodeAll({kept.back()});
        if (auto r = track.restore(head.bytes()); !r)
            return r;
        kept.pop_back();
    }
    if (auto r = sealKept(st.insertChunk, resolutionMs, seriesId, kept); !r)
        return r;
    for (std::size_t i = replayFrom; i < raw.timestampsMs.size(); ++i) {
        const std::optional<std::int64_t> previous = i > 0 ? std::optional(raw.timestampsMs[i - 1]) : std::nullopt;
        track.add(seriesId, raw.timestampsMs[i], raw.values[i], previous, sealed);
    }
    for (const SealedChunk &c : sealed) {
        if (auto r = insertRow(st.insertChunk, resolutionMs, seriesId, c.startMs, c.endMs, c.count, sealed.bytes(c)); !r)
            return r;
    }
    if (!track.hasHeadRow())
        return {};
    return insertRow(st.insertHead, resolutionMs, seriesId, track.headStartMs(), track.headEndMs(), track.headCount(),
                     track.headBytes());
}

} // namespace

Result<void> rebuildRollups(SqliteDb &db)
{
    Statements st;
    struct Item {
        Statement *stmt;
        SqlText sql;
    };
    const Item items[] = {
        {&st.series, "SELECT id FROM series ORDER BY id"},
        {&st.deleteChunks, "DELETE FROM rollup_chunk WHERE resolution_ms = ?1 AND series_id = ?2"},
        {&st.deleteHead, "DELETE FROM rollup_head WHERE resolution_ms = ?1 AND series_id = ?2"},
        {&st.insertChunk, "INSERT INTO rollup_chunk(resolution_ms, series_id, start_ms, end_ms, count, data) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
        {&st.insertHead, "INSERT INTO rollup_head(resolution_ms, series_id, start_ms, end_ms, count, data) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
    };
    for (const Item &item : items) {
        auto stmt = db.prepare(item.sql);
        if (!stmt)
            return std::unexpected(stmt.error());
        *item.stmt = std::move(*stmt);
    }
    auto scan = SeriesScan::prepare(db);
    if (!scan)
        return std::unexpected(scan.error());
    std::vector<std::int64_t> ids;
    auto listed = st.series.forEachRow([&] { ids.push_back(st.series.columnInt(0)); });
    st.series.reset();
    if (!listed)
        return listed;
    for (std::int64_t id : ids) {
        RawSamples raw;
        if (auto r = scan->readSamples(id, INT64_MIN, INT64_MAX, raw); !r)
            return r;
        if (auto r = rebuildSeries(st, *scan, id, kRollup1mMs, RollupTrack::Policy::DenseOnly, raw); !r)
            return r;
        if (auto r = rebuildSeries(st, *scan, id, kRollup1hMs, RollupTrack::Policy::Always, raw); !r)
            return r;
    }
    return {};
}

} // namespace pulse::storage
