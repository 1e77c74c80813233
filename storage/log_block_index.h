// LogBlockIndex: the full-text index of the log records, one FTS5 document per block of up to
// kLinesPerBlock consecutive records rather than one per line, holding each distinct word of the
// block once rather than its lines.
//
// Log lines share most of their words (a user agent, a path, a date): a block's are indexed once, so
// indexing costs several times less than line by line and the index is smaller (measured with
// SQLite's trigram tokenizer on the bench's nginx lines: ~100k lines/s line by line, ~270k for the
// lines of 64-line blocks, ~1.6M for their distinct words). A search asks the index for the blocks
// holding every trigram of its terms' words (LogSearch::ftsQuery: no trigram spans a blank, as none
// is indexed across one) and tests each line of those blocks (LogQueryMatcher).
//
//   log_block(id, first_id, last_id, min_time_ms, max_time_ms)   records first_id..last_id
//   log_text (contentless FTS5, rowid = block id)                  their distinct words (blockText)
//
// A block is written with its records, in the same transaction, and never changes; it is deleted
// whole, with its records (retention goes block by block: a block goes when its newest line is
// older than the horizon). The index keeps no text: deleting a block reads its records again and
// hands FTS5 the same text (blockText) it indexed.
//
// Runs on the writer thread only.
#pragma once

#include "core/base/error.h"
#include "storage/sqlite_db.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pulse::storage {

class LogBlockIndex {
public:
    static constexpr int kLinesPerBlock = 64;

    /// prepare compiles the statements on the writer's connection (which must outlive this).
    static Result<std::unique_ptr<LogBlockIndex>> prepare(SqliteDb &db);
    ~LogBlockIndex();
    LogBlockIndex(const LogBlockIndex &) = delete;
    LogBlockIndex &operator=(const LogBlockIndex &) = delete;

    /// Line is what a block needs of one stored record.
    struct Line {
        std::int64_t id = 0;
        std::int64_t timeMs = 0;
        std::string_view raw;
    };
    /// add indexes records just inserted (ids consecutive, ascending) in blocks of kLinesPerBlock.
    /// Precondition: inside the caller's transaction.
    Result<void> add(const std::vector<Line> &lines);

    /// Deleted is what a deletion took away: records, their stored bytes (log_stats' measure), blocks.
    struct Deleted {
        std::int64_t rows = 0;
        std::int64_t bytes = 0;
        std::int64_t blocks = 0;
    };
    /// deleteOldest deletes up to maxBlocks blocks, those with the oldest newest line first, and their
    /// records; with horizonMs set, only blocks whose every line is older than it.
    Result<Deleted> deleteOldest(int maxBlocks, std::optional<std::int64_t> horizonMs);

    /// rebuild indexes every record of a database that has none (schema 8's migration).
    static Result<void> rebuild(SqliteDb &db);
    /// blockText is what the index holds for a block: the distinct words of its lines (separated by
    /// isIndexWordSeparator), ASCII lower-cased, in first-seen order, joined by '\n'.
    static std::string blockText(const std::vector<std::string_view> &raws);

private:
    struct Statements;
    LogBlockIndex(SqliteDb &db, std::unique_ptr<Statements> statements);
    Result<void> writeBlock(const Line *first, const Line *last);

    SqliteDb &m_db;
    std::unique_ptr<Statements> m_stmts;
};

} // namespace pulse::storage
