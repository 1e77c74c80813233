// SeriesScan: reads one series' raw samples and stored rollup buckets through prepared statements on
// a connection it does not own. The read connections, the writer's Downsampler and the schema-3
// migration share it, so there is one place that knows how chunks are found.
//
// Not thread-safe: use it on the thread that owns the connection, which must outlive it.
#pragma once

#include "core/base/error.h"
#include "storage/rollup_bucket.h"
#include "storage/sqlite_db.h"

#include <cstdint>
#include <string>
#include <vector>

namespace pulse::storage {

/// RawSamples is a run of a series' samples, oldest first.
struct RawSamples {
    std::vector<std::int64_t> timestampsMs;
    std::vector<double> values;
};

/// PendingSamples is what SeriesScan::collectSamples found of a series: copies of its chunks' bytes and
/// where its logged samples are. Decoding them needs no connection (SeriesScan::decodeSamples).
struct PendingSamples {
    std::string bytes;              ///< the chunks, back to back
    std::vector<std::size_t> ends;  ///< where each chunk ends in `bytes`
    const RawSamples *log = nullptr; ///< the head log view's samples of the series (null: none) …
    std::size_t logFirst = 0;        ///< … of which these on are newer than its rows
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
    /// collectSamples and decodeSamples are readSamples in two steps: the first reads the rows through
    /// the connection; the second decodes and needs none, so several series may be decoded at once on
    /// other threads — while the scan's read transaction lasts (`log` points into its head log view).
    Result<void> collectSamples(std::int64_t seriesId, std::int64_t startMs, std::int64_t endMs, PendingSamples &out,
                                const StepWindows *windows = nullptr);
    /// decodeSamples is thread-safe for distinct `out`.
    static Result<void> decodeSamples(const PendingSamples &in, std::int64_t startMs, std::int64_t endMs,
                                      RawSamples &out, const StepWindows *windows = nullptr);
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
    PendingSamples m_pending; // readSamples' chunks on their way to decoding (kept: no allocation per call)
};

} // namespace pulse::storage
