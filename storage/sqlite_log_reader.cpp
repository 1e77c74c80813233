// SqliteLogReader: pages of log records from their blocks, narrowed in SQL and decided by
// LogQueryMatcher (see sqlite_log_reader.h).
#include "storage/sqlite_log_reader.h"

#include "core/logs/log_query_matcher.h"
#include "storage/log_block_codec.h"
#include "storage/log_block_store.h"
#include "storage/sqlite_db.h"
#include "storage/store_schema.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <vector>

namespace pulse::storage {

struct SqliteLogReader::Impl {
    SqliteDb db;
    Statement newest, oldest, searchNewest, searchOldest, blockData;

    Result<std::vector<LogRecord>> walk(const LogQuery &q, const LogQueryMatcher &matcher,
                                        const std::optional<std::string> &fts, std::size_t limit);
};

// walk answers a query from the blocks that may hold its lines (log_block_store.h): those of the
// range holding a line of the level or above and, for a search, every trigram of its words; newest
// (or oldest) first by their newest (oldest) line, each line of them tested by the matcher. The best
// `limit` lines by time are kept; once a block cannot hold a line better than the limit-th kept, no
// later one can (they are ordered by that bound), and the walk stops.
Result<std::vector<LogRecord>> SqliteLogReader::Impl::walk(const LogQuery &q, const LogQueryMatcher &matcher,
                                                           const std::optional<std::string> &fts, std::size_t limit)
{
    const bool newestFirst = q.keepNewest;
    // better: a comes before b in the order the limit keeps.
    const auto better = [newestFirst](const LogRecord &a, const LogRecord &b) {
        if (a.timestampMs != b.timestampMs)
            return newestFirst ? a.timestampMs > b.timestampMs : a.timestampMs < b.timestampMs;
        return newestFirst ? a.storeId > b.storeId : a.storeId < b.storeId;
    };
    std::vector<LogRecord> found;
    std::optional<std::int64_t> bound; // the limit-th kept line's time, once there are that many
    const auto prune = [&] {
        if (found.size() < limit)
            return;
        // Exactly `limit` found sets the bound too: the walk can stop before another match turns up.
        std::nth_element(found.begin(), found.begin() + std::ptrdiff_t(limit - 1), found.end(), better);
        found.resize(limit);
        bound = found[limit - 1].timestampMs;
    };
    Statement &blocks = fts ? (newestFirst ? searchNewest : searchOldest) : (newestFirst ? newest : oldest);
    // Both statements are reset on every way out, errors included: one left mid-step would keep
    // this connection's read snapshot open, and the WAL could not be checkpointed past it.
    struct ResetOnExit {
        Statement &a, &b;
        ~ResetOnExit()
        {
            a.reset();
            b.reset();
        }
    } resetOnExit{blocks, blockData};
    blocks.reset();
    blocks.bind(1, q.fromMs).bind(2, q.toMs - 1).bind(3, LogBlockStore::levelMask(q.minLevel));
    if (fts)
        blocks.bind(4, std::string_view(*fts));
    for (;;) {
        auto row = blocks.step();
        if (!row)
            return fail("cannot read the log blocks: " + row.error().message);
        if (!*row)
            break;
        const std::int64_t edge = blocks.columnInt(newestFirst ? 2 : 1);
        if (bound && (newestFirst ? edge < *bound : edge > *bound))
            break;
        const std::int64_t id = blocks.columnInt(0);
        blockData.reset();
        blockData.bind(1, id);
        auto dataRow = blockData.step();
        if (!dataRow)
            return fail("cannot read log block " + std::to_string(id) + ": " + dataRow.error().message);
        if (!*dataRow)
            continue; // gone: not within one snapshot, but never a reason to fail
        // Each line is tested on its views and built only when it matches.
        auto read = LogBlockCodec::select(
            blockData.columnText(0), id,
            [&](const LogBlockCodec::Line &line) {
                return matcher.matchesParts(line.timeMs, line.storeId, line.level, line.target, line.raw);
            },
            found);
        blockData.reset();
        if (!read)
            return fail("cannot read log block " + std::to_string(id) + ": " + read.error().message);
        if (found.size() >= 2 * limit || (found.size() >= limit && !bound))
            prune();
    }
    prune();
    std::sort(found.begin(), found.end(), better);
    if (newestFirst)
        std::reverse(found.begin(), found.end());
    return found;
}

Result<std::unique_ptr<SqliteLogReader>> SqliteLogReader::open(const std::string &path)
{
    auto db = StoreSchema::openForRead(path);
    if (!db)
        return std::unexpected(db.error());
    auto impl = std::make_unique<Impl>(Impl{std::move(*db), {}, {}, {}, {}, {}});
    struct Item {
        Statement *stmt;
        SqlText sql;
    };
    // Parameters: ?1, ?2 the time range, both ends included; ?3 the `levels` bits the query accepts
    // (LogBlockStore::levelMask); of the search statements, ?4 an FTS5 query over the trigrams
    // (LogSearch::ftsQuery). blockData reads a block's records once the walk gets to it: a search's
    // candidates may all be sorted by time first, and with their data that sort held every
    // candidate block (measured: 640 ms for a common word's first page over 10M lines). While
    // `blocks` steps, its read transaction holds the snapshot blockData reads.
    const Item items[] = {
        {&impl->newest, "SELECT id, min_time_ms, max_time_ms FROM log_block "
                        "WHERE max_time_ms >= ?1 AND min_time_ms <= ?2 AND (levels & ?3) != 0 "
                        "ORDER BY max_time_ms DESC, id DESC"},
        {&impl->oldest, "SELECT id, min_time_ms, max_time_ms FROM log_block "
                        "WHERE max_time_ms >= ?1 AND min_time_ms <= ?2 AND (levels & ?3) != 0 "
                        "ORDER BY min_time_ms, id"},
        {&impl->searchNewest, "SELECT id, min_time_ms, max_time_ms FROM log_block "
                              "WHERE id IN (SELECT rowid FROM log_text WHERE log_text MATCH ?4) AND max_time_ms >= ?1 "
                              "AND min_time_ms <= ?2 AND (levels & ?3) != 0 ORDER BY max_time_ms DESC, id DESC"},
        {&impl->searchOldest, "SELECT id, min_time_ms, max_time_ms FROM log_block "
                              "WHERE id IN (SELECT rowid FROM log_text WHERE log_text MATCH ?4) AND max_time_ms >= ?1 "
                              "AND min_time_ms <= ?2 AND (levels & ?3) != 0 ORDER BY min_time_ms, id"},
        {&impl->blockData, "SELECT data FROM log_block_data WHERE id = ?1"},
    };
    for (const Item &item : items) {
        auto stmt = impl->db.prepare(item.sql);
        if (!stmt)
            return fail("cannot prepare the log queries: " + stmt.error().message);
        *item.stmt = std::move(*stmt);
    }
    return std::unique_ptr<SqliteLogReader>(new SqliteLogReader(std::move(impl)));
}

SqliteLogReader::SqliteLogReader(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
SqliteLogReader::~SqliteLogReader() = default;

Result<std::vector<LogRecord>> SqliteLogReader::query(const LogQuery &q) const
{
    auto matcher = LogQueryMatcher::compile(q);
    if (!matcher)
        return std::unexpected(matcher.error());
    const std::size_t limit = q.limit == 0 ? std::numeric_limits<std::size_t>::max() : q.limit;
    if (q.toMs <= q.fromMs)
        return std::vector<LogRecord>{};
    // The trigram index narrows a search to the blocks that may match (LogSearch::ftsQuery); short
    // terms, NOT and regular expressions are decided by the matcher on every line of the range.
    const std::optional<std::string> fts = q.regex ? std::nullopt : matcher->search().ftsQuery();
    std::lock_guard lock(m_mutex);
    return m_impl->walk(q, *matcher, fts, limit);
}

} // namespace pulse::storage
