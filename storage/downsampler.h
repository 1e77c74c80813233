// Downsampler: writes the 1-minute buckets of raw chunks that retention is about to delete, where the
// ingest tier did not keep them (sparse series, rollup_track.h), so the 1-minute tier outlives the raw
// samples for every series.
//
// It writes only buckets that are not stored yet, each computed from every raw sample still stored in
// it, also those in the neighbouring chunks: a bucket split across two chunks is written once and
// complete while both are there, and the second chunk's turn finds it stored. So the invariant of
// rollup_track.h (a stored bucket is complete) holds, and readers never merge partial buckets.
//
// Buckets are appended to the series' previous row when it ends before them and has room, so rows hold
// up to kRollupChunkBuckets buckets as the writer's do: a row per expiring raw chunk (60 buckets at 15 s)
// would spend a quarter of its bytes on the codec's first values and on index entries.
//
// Runs on the writer thread, inside StoreWriter's retention transaction, on the writer's connection.
#pragma once

#include "core/base/error.h"
#include "storage/series_scan.h"
#include "storage/sqlite_db.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace pulse::storage {

class Downsampler {
public:
    static Result<std::unique_ptr<Downsampler>> prepare(SqliteDb &db);

    /// downsample writes the missing 1-minute buckets of series `seriesId` whose start is in
    /// [firstStartMs, lastStartMs] (fewer than kRollupChunkBuckets buckets). Returns how many it wrote.
    Result<int> downsample(std::int64_t seriesId, std::int64_t firstStartMs, std::int64_t lastStartMs);

private:
    struct Statements {
        Statement previous, update, insert;
    };
    Downsampler(SeriesScan scan, Statements stmts) : m_scan(std::move(scan)), m_stmts(std::move(stmts)) {}
    // appendToPrevious adds `buckets` to the series' row before them; false when there is no such row
    // with room for them.
    Result<bool> appendToPrevious(std::int64_t seriesId, const std::vector<RollupBucket> &buckets);

    SeriesScan m_scan;
    Statements m_stmts;
};

} // namespace pulse::storage
