// SqliteLogReader: answers LogQuery from the history file's log blocks (log_block_store.h).
//
// The SQL narrows the candidates to blocks — the time range and the levels through their columns, a
// search's terms of three characters or more through the trigram index — and LogQueryMatcher then
// decides each record of them exactly as the in-memory LogStore would (ASCII case folding, regular
// expressions, targets, levels), so both stores give the same answers. The blocks are walked newest
// or oldest first (LogQuery::keepNewest), and the walk stops once no later block can hold a line
// better than the page's last. Regular expressions, NOT and short terms read every block of the range
// (on the query thread).
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
