// LogBlockStore: the persisted log records, stored and indexed by blocks of up to kLinesPerBlock
// consecutive records: a `log_block_data` row holds the block's records compressed (LogBlockCodec),
// and one FTS5 document holds each distinct word of its lines once.
//
// A row a line cost 526 stored bytes for a 161-byte nginx line and most of the writer's time (row
// inserts, the time index, their WAL pages); in blocks a line costs ~52 bytes (and ~24 of index)
// and a 64th of the inserts. Log lines share most of their words (a user agent, a path, a date), so
// a block's are indexed once: the index is several times cheaper than line by line (measured with
// SQLite's trigram tokenizer on the bench's nginx lines: ~100k lines/s line by line, ~270k for the
// lines of 64-line blocks, ~1.6M for their distinct words). A search asks the index for the blocks
// holding every trigram of its terms' words (LogSearch::ftsQuery: no trigram spans a blank, as none
// is indexed across one) and tests each line of those blocks (LogQueryMatcher); a page without a
// search walks the blocks by time.
//
//   log_block(id, min_time_ms, max_time_ms, count, levels, bytes)   what a query chooses blocks by
//   log_block_data(id, data)                                         the records, compressed
//   log_text (contentless FTS5, rowid = block id)                    their distinct words
//
// The data has a table of its own so that log_block's rows stay small: a search may look up every
// block its words are in before reading the few it needs, and with ~3 KB of data beside each row
// that was a page read a candidate (measured: 200 ms for a common word's first page over 10M lines,
// 70 ms apart).
//
// `levels` has bit L set when a record of LogLevel L is in the block (a level filter skips the rest);
// `bytes` is what the block counts towards `logs.max_size` (its data and kBlockOverhead). A block is
// written in the transaction of the commit its records came with and never changes; it is deleted
// whole (retention goes block by block: a block goes when its newest line is older than the horizon).
// The index keeps no text: deleting a block decodes its lines and hands FTS5 the text it indexed.
//
// Runs on the writer thread only.
#pragma once

#include "core/base/error.h"
#include "core/logs/log_record.h"
#include "storage/sqlite_db.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pulse::storage {

class LogBlockStore {
public:
    static constexpr int kLinesPerBlock = 64;
    static constexpr std::int64_t kBlockOverhead = 64;

    /// prepare compiles the statements on the writer's connection (which must outlive this).
    static Result<std::unique_ptr<LogBlockStore>> prepare(SqliteDb &db);
    ~LogBlockStore();
    LogBlockStore(const LogBlockStore &) = delete;
    LogBlockStore &operator=(const LogBlockStore &) = delete;

    /// add stores records in blocks of kLinesPerBlock and returns the bytes they count (the blocks'
    /// `bytes`). Precondition: inside the caller's transaction.
    Result<std::int64_t> add(const std::vector<LogRecord> &records);

    /// Deleted is what a deletion took away: records, their stored bytes (log_stats' measure), blocks.
    struct Deleted {
        std::int64_t rows = 0;
        std::int64_t bytes = 0;
        std::int64_t blocks = 0;
    };
    /// deleteOldest deletes up to maxBlocks blocks, those with the oldest newest line first; with
    /// horizonMs set, only blocks whose every line is older than it.
    Result<Deleted> deleteOldest(int maxBlocks, std::optional<std::int64_t> horizonMs);

    /// moveRecords stores the rows of schema 7..10's `log_record` table as blocks and drops the table
    /// (schema 11's migration; the blocks and index start empty).
    static Result<void> moveRecords(SqliteDb &db);
    /// blockText is what the index holds for a block: the distinct words of its lines (separated by
    /// isIndexWordSeparator), ASCII lower-cased, in first-seen order, joined by '\n'.
    static std::string blockText(const std::vector<std::string_view> &raws);
    /// levelMask is the `levels` bits of the levels at or above minLevel.
    static std::int64_t levelMask(LogLevel minLevel);

private:
    struct Statements;
    LogBlockStore(SqliteDb &db, std::unique_ptr<Statements> statements);
    Result<std::int64_t> writeBlock(const LogRecord *first, const LogRecord *last);

    SqliteDb &m_db;
    std::unique_ptr<Statements> m_stmts;
};

} // namespace pulse::storage
