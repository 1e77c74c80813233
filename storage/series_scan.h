// SeriesScan: reads one series' raw samples and stored rollup buckets through prepared statements on
// a connection it does not own. The read connections, the writer's Downsampler and the schema-3
// migration share it, so there is one place that knows how chunks are found.
//
// Not thread-safe: use it on the thread that owns the connection, which must outlive it.
#pragma once

#include "core/error.h"
#include "storage/rollup_bucket.h"
#include "storage/sqlite_db.h"

#include <cstdint>
#include <vector>

namespace pulse::storage {

/// RawSamples is a run of a series' samples, oldest first.
struct RawSamples {
    std::vector<std::int64_t> timestampsMs;
    std::vector<double> values;
};

class HeadLogView;

class SeriesScan {
public:
    static Result<SeriesScan> prepare(SqliteDb &db);

    /// setHeadLog makes reads include the committed samples that are only in the head log (readers);
    /// the writer's own scans (Downsampler, migrations) read rows only. `log` must outlive the scan.
    void setHeadLog(const HeadLogView *log) { m_log = log; }

    /// readSamples appends a series' raw samples within [startMs, endMs], oldest first; with `windows`,
    /// only those inside them (chunks no window meets are not decoded).
    Result<void> readSamples(std::int64_t seriesId, std::int64_t startMs, std::int64_t endMs, RawSamples &out,
                             const StepWindows *windows = nullptr);
    /// readBuckets appends a series' stored buckets at `resolutionMs` whose start is in [startMs, endMs],
    /// oldest first.
    Result<void> readBuckets(std::int64_t resolutionMs, std::int64_t seriesId, std::int64_t startMs, std::int64_t endMs,
                             std::vector<RollupBucket> &out);
    /// readTier appends the stored buckets whose start is in [firstStartMs, lastStartMs] (multiples of the
    /// resolution) to `buckets`, and to `raw` the raw samples of the buckets in that range that are not
    /// stored. Stored buckets are complete (rollup_track.h), so the two never describe the same sample.
    /// With `windows`, only the raw samples and the buckets whose last sample is inside them.
    Result<void> readTier(std::int64_t resolutionMs, std::int64_t seriesId, std::int64_t firstStartMs,
                          std::int64_t lastStartMs, std::vector<RollupBucket> &buckets, RawSamples &raw,
                          const StepWindows *windows = nullptr);

private:
    SeriesScan() = default;
    // loggedAfterRows points `log` at the series' logged samples (null: none) and returns the index of
    // the first one newer than its rows.
    Result<std::size_t> loggedAfterRows(std::int64_t seriesId, const RawSamples *&log);
    // readTierRuns is readTier before its buckets are narrowed to the windows.
    Result<void> readTierRuns(std::int64_t resolutionMs, std::int64_t seriesId, std::int64_t firstStartMs,
                              std::int64_t lastStartMs, std::vector<RollupBucket> &buckets, RawSamples &raw,
                              const StepWindows *windows);

    Statement m_chunks, m_head, m_rollups, m_rollupHead, m_lastChunkEnd, m_headEnd;
    const HeadLogView *m_log = nullptr;
};

} // namespace pulse::storage
