// SqliteLogReader: answers LogQuery from the history file's log table (log_table_writer.h writes it).
//
// The SQL narrows the candidates — the time range through its index, a search's terms of three
// characters or more through the trigram index of line blocks (log_block_index.h), targets and level
// as filters — and LogQueryMatcher then decides each record exactly as the in-memory LogStore would
// (ASCII case folding, regular expressions, levels), so both stores give the same answers. Without
// a search one statement walks the range newest or oldest first (LogQuery::keepNewest) and stops when
// the limit is met; a search walks the matching blocks in that order and stops once no later block
// can hold a better line. Regular expressions, NOT and short terms read every row of the range (on
// the query thread).
#pragma once

#include "core/logs/log_reader.h"

#include <memory>
#include <mutex>
#include <string>

namespace pulse::storage {

class SqliteLogReader final : public LogReader {
public:
    /// open opens the history file read-only (it must be of the current schema).
    static Result<std::unique_ptr<SqliteLogReader>> open(const std::string &path);
    ~SqliteLogReader() override;

    /// query is thread-safe (one connection, used under a lock); it blocks on disk I/O, so it never
    /// runs on the GUI thread.
    Result<std::vector<LogRecord>> query(const LogQuery &query) const override;

private:
    struct Impl;
    explicit SqliteLogReader(std::unique_ptr<Impl> impl);

    mutable std::mutex m_mutex;
    std::unique_ptr<Impl> m_impl; // guarded by m_mutex
};

} // namespace pulse::storage
