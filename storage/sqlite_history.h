// SqliteHistory: the HistoryReader over the SQLite history, plus rollup access and the query
// planner's choice of resolution.
//
// Each query borrows a ReadConnection from a small pool (opening one when all are busy), so queries
// from several threads run in parallel and never wait for the writer (WAL snapshots).
#pragma once

#include "core/base/error.h"
#include "core/base/history_reader.h"
#include "storage/rollup_bucket.h"
#include "storage/rollup_reader.h"
#include "storage/series_scan.h"

#include <climits>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace pulse::storage {

class ReadConnection;

/// RollupSeries is one series' buckets at one resolution, oldest first.
struct RollupSeries {
    std::string metric;
    Labels labels;
    std::vector<RollupBucket> buckets;
};

/// TierSeries is one series at one rollup resolution as stored: the stored buckets, and the raw samples
/// of the buckets that are not stored (a sparse series' recent 1-minute buckets live in its raw chunks
/// until those expire). Both oldest first; they never describe the same sample.
struct TierSeries {
    std::string metric;
    Labels labels;
    std::vector<RollupBucket> buckets;
    RawSamples raw;
};

class SqliteHistory final : public HistoryReader {
public:
    /// open checks the file (ours, current schema) and keeps one connection ready.
    static Result<std::unique_ptr<SqliteHistory>> open(const std::string &path);
    ~SqliteHistory() override;

    /// selectRollups returns the buckets at `resolutionMs` (kRollup1mMs or kRollup1hMs) whose start is in
    /// [startMs, endMs]: the stored ones, and the others computed from raw samples. Thread-safe.
    Result<std::vector<RollupSeries>> selectRollups(std::span<const LabelMatcher> matchers, std::int64_t startMs,
                                                    std::int64_t endMs, std::int64_t resolutionMs) const;
    /// selectTier returns, per series, what selectRollups computes its answer from (see TierSeries), for
    /// the buckets whose start is in [firstStartMs, lastStartMs]; with `windows`, only the raw samples and
    /// buckets whose last sample is inside them. Thread-safe.
    Result<std::vector<TierSeries>> selectTier(std::span<const LabelMatcher> matchers, std::int64_t firstStartMs,
                                               std::int64_t lastStartMs, std::int64_t resolutionMs,
                                               const StepWindows *windows = nullptr) const;

    /// readerForStep is the query planner's choice: the coarsest resolution not coarser than the step
    /// (raw below 1 minute). The reader lives as long as this object.
    /// `smallestWindowMs` is the query's shortest range (promql::smallestWindowMs): a tier is chosen only
    /// when that holds four of its buckets, else the next finer one.
    const HistoryReader &readerForStep(std::int64_t stepMs, std::int64_t smallestWindowMs = INT64_MAX) const;

protected:
    /// read returns raw samples (staleness markers included), without those outside `windows` (chunks
    /// no window meets are not decoded). Thread-safe.
    Result<std::vector<SeriesData>> read(std::span<const LabelMatcher> matchers, std::int64_t startMs,
                                         std::int64_t endMs, const StepWindows *windows) const override;

private:
    explicit SqliteHistory(std::string path);
    Result<std::unique_ptr<ReadConnection>> acquire() const;
    void release(std::unique_ptr<ReadConnection> conn) const;
    // forEachSeries runs `read(connection, entry)` for every series matching, in one read transaction,
    // then `finish(results)` before that transaction ends.
    template <class T, class Read, class Finish>
    Result<std::vector<T>> forEachSeries(std::span<const LabelMatcher> matchers, Read read, Finish finish) const;
    template <class T, class Read>
    Result<std::vector<T>> forEachSeries(std::span<const LabelMatcher> matchers, Read read) const
    {
        return forEachSeries<T>(matchers, read, [](std::vector<T> &) -> Result<void> { return {}; });
    }


    std::string m_path;
    mutable std::mutex m_poolMutex;
    mutable std::vector<std::unique_ptr<ReadConnection>> m_idle;
    RollupReader m_minutes;
    RollupReader m_hours;
};

} // namespace pulse::storage
