// LogTableWriter: the log half of the history writer. Records and tail positions wait here for the
// next commit and are written inside that commit's transaction, so a position is durable exactly
// when the records it follows are (a tailer resuming from it neither loses nor repeats a line).
// Records are stored by blocks (log_block_store.h); retention deletes the oldest in bounded slices,
// like the samples', whole blocks at a time.
//
// Runs on the writer thread only (StoreWriter owns it); SQL text is in log_table_writer.cpp.
#pragma once

#include "core/base/error.h"
#include "core/logs/log_batch.h"
#include "storage/log_block_store.h"
#include "storage/sqlite_db.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace pulse::storage {

class LogTableWriter {
public:
    /// prepare compiles the statements on the writer's connection (which must outlive this).
    static Result<std::unique_ptr<LogTableWriter>> prepare(SqliteDb &db);
    ~LogTableWriter();
    LogTableWriter(const LogTableWriter &) = delete;
    LogTableWriter &operator=(const LogTableWriter &) = delete;

    /// add keeps a batch for the next write(); a file's newer checkpoint replaces its older one.
    void add(LogBatch batch);
    bool hasPending() const { return !m_records.empty() || !m_checkpoints.empty(); }
    std::size_t pendingRecords() const { return m_records.size(); }

    /// write stores the pending records (as blocks) and positions. Precondition: inside the caller's
    /// transaction; on failure the caller rolls back and everything stays pending.
    Result<void> write(std::int64_t nowMs);
    /// committed forgets what the last write() wrote, once its transaction committed.
    void committed();

    /// Expired says what an expire call deleted: rows, their stored bytes, and whether more remain.
    struct Expired {
        std::int64_t rows = 0;
        std::int64_t bytes = 0;
        bool more = false;
    };
    /// expireOlderThan deletes about maxRows records older than horizonMs (now - retentionMs), oldest
    /// first, in whole index blocks (a block whose newest line is older), and the positions that have
    /// not moved for four retention periods (at least 30 days); expireOverSize deletes about maxRows
    /// of the oldest while the records hold more than maxBytes.
    /// Both run in the caller's transaction and count the bytes in log_stats; call expired() once it
    /// committed.
    Result<Expired> expireOlderThan(std::int64_t horizonMs, std::int64_t retentionMs, int maxRows);
    Result<Expired> expireOverSize(std::uint64_t maxBytes, int maxRows);
    void expired(const Expired &e) { m_bytes -= e.bytes; }

    /// bytes is what the stored records hold, as log_stats counts it: their blocks' compressed data
    /// and LogBlockStore::kBlockOverhead a block.
    std::int64_t bytes() const { return m_bytes; }
    /// checkpoints reads every stored position (at start-up, to resume the tailers).
    Result<std::vector<LogCheckpoint>> checkpoints();

    std::uint64_t committedRecords() const { return m_committed; }

private:
    struct Statements;
    LogTableWriter(std::unique_ptr<Statements> statements, std::unique_ptr<LogBlockStore> blocks, std::int64_t bytes);
    Result<Expired> deleteBlocks(int maxBlocks, std::optional<std::int64_t> horizonMs);
    // prunePositions forgets positions untouched since horizonMs.
    Result<void> prunePositions(std::int64_t horizonMs);

    std::unique_ptr<Statements> m_stmts; // prepared on the writer's connection
    std::unique_ptr<LogBlockStore> m_blocks;
    std::vector<LogRecord> m_records;
    std::vector<LogCheckpoint> m_checkpoints;
    std::uint64_t m_committed = 0;
    std::int64_t m_bytes = 0;        // in log_stats, as of the last commit
    std::int64_t m_pendingBytes = 0; // what the last write() stored
};

} // namespace pulse::storage
