// StoreWriter: the single-threaded core of the history writer. It folds batches into in-memory
// series heads and makes them durable in one transaction per commit(). SampleWriter runs it on
// the writer thread; tests and `pulsectl import` may drive it directly.
//
// Invariants:
//  1. Everything added but not yet committed is in memory (heads, sealed chunks, new series); a
//     failed commit rolls back and leaves it all pending, so the next commit retries it (disk full).
//  2. Series ids are assigned here (max id + 1), so a rolled-back insert keeps its id on retry.
//  3. After a commit, the `head_chunk`/`rollup_head` rows plus the `head_log` rows replayed on top of
//     them (oldest first; samples not newer than a head are skipped) equal the in-memory heads, so a
//     restart resumes each series exactly where it stopped. A head's rows are rewritten when one of its
//     chunks sealed (in the commit that inserts the sealed chunk, so rows never duplicate a chunk) and
//     when the round-robin checkpoint reaches it; log rows older than a completed cycle are deleted
//     (head_log.h).
//  4. Retention deletes a raw chunk only after Downsampler has written the 1-minute buckets of it that
//     are not stored, in the same transaction, so the 1-minute tier covers every expired sample.
#pragma once

#include "core/base/error.h"
#include "core/base/metric_batch.h"
#include "storage/downsampler.h"
#include "storage/head_log.h"
#include "storage/log_table_writer.h"
#include "storage/sealed_chunks.h"
#include "storage/series_head.h"
#include "storage/series_key_index.h"
#include "storage/sqlite_db.h"
#include "storage/store_lock.h"

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pulse::storage {

/// Retention per resolution in milliseconds; 0 keeps data forever.
struct RetentionMs {
    std::int64_t raw = 0;
    std::int64_t m1 = 0;
    std::int64_t h1 = 0;
};

struct WriterCounters {
    std::uint64_t committedSamples = 0;
    std::uint64_t pendingSamples = 0;
    std::uint64_t outOfOrderSamples = 0; ///< not newer than the series' last sample
    std::uint64_t outOfRangeSamples = 0; ///< timestamps beyond ±10^15 ms
    std::uint64_t seriesCount = 0;
    /// quarantinedSeries: catalogue rows whose label set would not decode, set aside at open (their
    /// sealed chunks and rollups stay in the file, unread; samples only in their head are dropped;
    /// the rest of the history opens). The first is in firstQuarantinedId.
    std::uint64_t quarantinedSeries = 0;
    std::int64_t firstQuarantinedId = 0;
    std::uint64_t deletedChunks = 0;      ///< by retention
    std::uint64_t prunedSeries = 0;       ///< catalogue rows removed once retention took all their data
    std::uint64_t downsampledBuckets = 0; ///< 1-minute buckets written from expiring raw chunks
    std::uint64_t committedLogRecords = 0;
    std::uint64_t expiredLogRecords = 0; ///< by log retention
};

class StoreWriter {
public:
    /// open opens (creating or migrating) the database and restores the heads of every series. It
    /// holds the file's StoreLock while it lives: a second writer on the same file is refused.
    static Result<std::unique_ptr<StoreWriter>> open(const std::string &path);
    ~StoreWriter();
    StoreWriter(const StoreWriter &) = delete;
    StoreWriter &operator=(const StoreWriter &) = delete;

    /// add folds a batch into memory; nothing touches the disk until commit().
    void add(const MetricBatch &batch);
    void add(std::string_view metric, const Labels &labels, std::int64_t timestampMs, double value);
    /// addLogs keeps log records and tail positions for the next commit (log_table_writer.h).
    void addLogs(LogBatch batch) { m_logs->add(std::move(batch)); }
    std::size_t pendingLogRecords() const { return m_logs->pendingRecords(); }
    /// logCheckpoints reads every stored tail position (at start-up, before any addLogs).
    Result<std::vector<LogCheckpoint>> logCheckpoints() { return m_logs->checkpoints(); }
    /// enforceLogRetention deletes up to maxRows log records, the oldest first: those older than
    /// retentionMs before nowMs, then those over maxBytes (LogTableWriter::bytes; down to 95 % of it),
    /// in a short transaction of its own; returns true when more may remain. 0 turns a bound off.
    Result<bool> enforceLogRetention(std::int64_t nowMs, std::int64_t retentionMs, std::uint64_t maxBytes, int maxRows);
    std::int64_t logBytes() const { return m_logs->bytes(); }
    /// commit writes everything pending in one transaction. On failure nothing is lost from memory.
    Result<void> commit();
    /// checkpointAll commits, then writes every head's rows and empties the head log (clean shutdown,
    /// bulk import): the file then needs no replay.
    Result<void> checkpointAll();
    /// kCheckpointCommits: a checkpoint cycle visits every head over this many commits (~80 s at the
    /// app's 250 ms), which bounds the head log to about twice that long of samples. Rewriting head
    /// rows is the writer's main cost at 1 s scrapes (a head row per series per cycle against one log
    /// row per commit): a 10 s cycle took 18 % of the whole ingest path's CPU at 200 node_exporter
    /// targets x 1 s, and going from 40 s to 80 s took the writer from 0.071 to 0.062 CPU s per second
    /// at 100,000 series x 1 s (storage_bench --live 240) and the whole GUI path from 0.776 to 0.719 CPU s
    /// per 1M samples (200 targets x 1 s, 10 min beside Prometheus). The price is the log: ~6 bytes a sample for
    /// up to two cycles (head_log.h), and that much more to replay after a crash.
    static constexpr std::size_t kCheckpointCommits = 320;
    /// enforceRetention deletes up to `maxRows` expired chunk rows per table (raw chunks that need
    /// downsampling first: a quarter as many); returns true when more may remain. It runs in its own
    /// short transaction so writes never wait long, and only when nothing is pending (Downsampler reads
    /// what is stored), else it returns true to be called again after the next commit.
    Result<bool> enforceRetention(std::int64_t nowMs, const RetentionMs &retention, int maxRows);
    /// pruneSeries removes up to `maxSeries` series whose data is gone from the catalogue, its label
    /// index and memory: series with no sample newer than the longest retention plus an hour (every
    /// bucket holding one has ended too) and no chunk row left. Nothing is pruned while any tier keeps
    /// data forever (retention 0), or while anything is pending. Their ids are never reused, and
    /// readers drop their cached catalogue (the `catalogue` row's generation changes). One transaction;
    /// returns how many were pruned.
    Result<std::size_t> pruneSeries(std::int64_t nowMs, const RetentionMs &retention, std::size_t maxSeries);
    /// releaseFreePages gives pages that retention freed back to the file system, at most
    /// kReleasePagesPerCall (8 MiB) a call, keeping a reserve (kFreePagesReserve or 1/16 of the file,
    /// whichever is larger) that the next inserts reuse without growing the file. Only files made
    /// with auto_vacuum=INCREMENTAL (StoreSchema sets it on every new file) can; older files return
    /// 0 (a one-off `VACUUM` with the app closed converts them: see docs/storage.md). Must not run inside a transaction. Returns how many pages it released.
    Result<std::int64_t> releaseFreePages();
    static constexpr std::int64_t kReleasePagesPerCall = 2048;
    static constexpr std::int64_t kFreePagesReserve = 4096;

    const WriterCounters &counters() const { return m_counters; }
    bool hasPending() const { return hasPendingSamples() || m_logs->hasPending(); }
    bool hasPendingSamples() const
    {
        return m_counters.pendingSamples > 0 || !m_sealed.empty() || !m_mustWrite.empty() || !m_log.empty();
    }
    SqliteDb &db() { return m_db; }

private:
    struct Statements;
    struct NewSeries {
        std::size_t index;
        std::string key; ///< appendSeriesKey's: the metric, then the label blob the catalogue stores
    };

    StoreWriter(StoreLock lock, SqliteDb db);
    Result<void> prepare();
    Result<void> restore();
    Result<void> replayLog(const std::unordered_map<std::int64_t, std::size_t> &byId);
    // appendToHead folds one sample into a head; false when it is not newer than the head.
    bool appendToHead(std::size_t index, std::int64_t timestampMs, double value);
    // writePending writes what commit() makes durable; `sliceEnd` is where this commit's checkpoint
    // slice ends. With `logged`, the commit's samples go into one head_log row; without (bulk: several
    // samples per series), the rows of every head they touched are rewritten instead.
    Result<void> writePending(std::size_t sliceEnd, bool logged);
    Result<void> writeHeadRows(const SeriesHead &head);
    // expireRawChunks downsamples and deletes up to `maxRows` raw chunks that end before `horizonMs`.
    Result<bool> expireRawChunks(std::int64_t horizonMs, std::int64_t minuteHorizonMs, int maxRows);
    Result<void> downsampleChunk(std::int64_t seriesId, std::int64_t startMs, std::int64_t endMs);
    SeriesHead *headById(std::int64_t seriesId);
    // pruneCandidates: indexes of heads past `horizonMs`, up to `limit`, from m_pruneCursor on.
    std::vector<std::size_t> pruneCandidates(std::int64_t horizonMs, std::size_t limit);
    // deleteSeriesRows deletes one series' catalogue, label and head rows; false when chunks remain.
    Result<bool> deleteSeriesRows(std::int64_t seriesId);
    // dropHeads removes pruned heads from memory and renumbers every index that refers to a head.
    void dropHeads(const std::vector<std::size_t> &pruned);
    // seriesIndex finds or creates the head of the series whose key (series_key.h) is `key`.
    std::size_t seriesIndex(std::string_view key);
    // addAt adds a sample to the head at `index` (range check, order check, log).
    void addAt(std::size_t index, std::int64_t timestampMs, double value);

    // RefMap maps one SeriesTable lineage's refs to head indexes (kNoIndex: not looked up yet).
    struct RefMap {
        std::vector<std::uint32_t> index;
        std::uint64_t lastUsedCommit = 0;
    };
    static constexpr std::uint32_t kNoIndex = UINT32_MAX;


    StoreLock m_lock; // before m_db: released only after the database is closed
    SqliteDb m_db;
    std::unique_ptr<Statements> m_stmts;
    std::unique_ptr<Downsampler> m_downsampler;
    std::unique_ptr<LogTableWriter> m_logs;
    SeriesKeyIndex m_index; ///< series key (series_key.h) → index in m_heads
    // In seriesId order: restored ascending, new ids are larger. A deque, not a vector: growing never
    // copies the heads or holds twice their memory (a vector's doubling cost 116 MiB at 100k series).
    std::deque<SeriesHead> m_heads;
    std::unordered_map<std::uint64_t, RefMap> m_refMaps;
    std::uint64_t m_commits = 0;
    std::vector<NewSeries> m_newSeries;
    SealedChunks m_sealed;
    std::string m_rowBytes;      // a head row's bytes on their way to SQLite (writeHeadRows)
    RollupEncoder m_rowScratch;  // a rollup head row with its open bucket (writeHeadRows)
    std::vector<std::size_t> m_mustWrite; // heads that sealed a chunk since the last commit (may repeat)
    std::vector<std::size_t> m_touched;   // heads appended to since the last commit
    HeadLogEncoder m_log;                 // samples added since the last commit
    bool m_bulk = false;                  // this commit rewrites its heads instead of logging
    std::size_t m_cursor = 0;             // the checkpoint cycle's next head
    std::int64_t m_nextLogSeq = 1;
    std::int64_t m_cycleStartSeq = 1; // log rows below it are covered by head rows once the cycle wraps
    std::string m_keyScratch;
    std::int64_t m_nextId = 1;
    std::size_t m_pruneCursor = 0; // where the next pruneSeries looks first
    WriterCounters m_counters;
};

} // namespace pulse::storage
