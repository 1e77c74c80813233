// SqliteLogReader: pages of log_record rows, narrowed in SQL and decided by LogQueryMatcher (see
// sqlite_log_reader.h).
#include "storage/sqlite_log_reader.h"

#include "core/base/text_encoding.h"
#include "core/logs/log_query_matcher.h"
#include "storage/log_record_codec.h"
#include "storage/sqlite_db.h"
#include "storage/store_schema.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <vector>

namespace pulse::storage {

namespace {

std::string targetsJson(const std::vector<std::string> &targets)
{
    std::string out = "[";
    for (const std::string &t : targets) {
        if (out.size() > 1)
            out += ',';
        appendJsonString(out, t);
    }
    out += ']';
    return out;
}

LogRecord recordAt(const Statement &s)
{
    LogRecord r;
    r.storeId = s.columnInt(0);
    r.timestampMs = s.columnInt(1);
    r.target = std::string(s.columnText(2));
    r.file = std::string(s.columnText(3));
    r.offset = static_cast<std::uint64_t>(s.columnInt(4));
    r.level = static_cast<LogLevel>(std::clamp<std::int64_t>(s.columnInt(5), 0, static_cast<int>(LogLevel::Fatal)));
    applyLogRecordFlags(s.columnInt(6), r);
    r.message = std::string(s.columnText(7));
    if (auto fields = decodeLogFields(s.columnText(8)))
        r.fields = std::move(*fields);
    r.raw = std::string(s.columnText(9));
    return r;
}

} // namespace

struct SqliteLogReader::Impl {
    SqliteDb db;
    Statement newest, oldest, blocksNewest, blocksOldest, blockRecords;

    Result<std::vector<LogRecord>> search(const LogQuery &q, const LogQueryMatcher &matcher, const std::string &fts,
                                          std::size_t limit);
};

// search answers a query the trigram index can narrow: the blocks holding the search's trigrams
// (log_block_index.h), newest (or oldest) first by their newest (oldest) line, each line of them
// tested by the matcher. The best `limit` lines by time are kept; once a block cannot hold a line
// better than the limit-th kept, no later one can (they are ordered by that bound), and the walk stops.
Result<std::vector<LogRecord>> SqliteLogReader::Impl::search(const LogQuery &q, const LogQueryMatcher &matcher,
                                                             const std::string &fts, std::size_t limit)
{
    struct Found {
        std::int64_t id;
        LogRecord record;
    };
    const bool newestFirst = q.keepNewest;
    // better: a comes before b in the order the limit keeps.
    const auto better = [newestFirst](const Found &a, const Found &b) {
        if (a.record.timestampMs != b.record.timestampMs)
            return newestFirst ? a.record.timestampMs > b.record.timestampMs
                               : a.record.timestampMs < b.record.timestampMs;
        return newestFirst ? a.id > b.id : a.id < b.id;
    };
    std::vector<Found> found;
    std::optional<std::int64_t> bound; // the limit-th kept line's time, once there are that many
    const auto prune = [&] {
        if (found.size() <= limit)
            return;
        std::nth_element(found.begin(), found.begin() + std::ptrdiff_t(limit - 1), found.end(), better);
        found.resize(limit);
        bound = found[limit - 1].record.timestampMs;
    };
    Statement &blocks = newestFirst ? blocksNewest : blocksOldest;
    blocks.reset();
    blocks.bind(1, std::string_view(fts)).bind(2, q.fromMs).bind(3, q.toMs - 1);
    for (;;) {
        auto row = blocks.step();
        if (!row)
            return fail("cannot search the log index: " + row.error().message);
        if (!*row)
            break;
        const std::int64_t edge = blocks.columnInt(newestFirst ? 4 : 3);
        if (bound && (newestFirst ? edge < *bound : edge > *bound))
            break;
        blockRecords.reset();
        blockRecords.bind(1, blocks.columnInt(1)).bind(2, blocks.columnInt(2));
        for (;;) {
            auto line = blockRecords.step();
            if (!line)
                return fail("cannot read the log records: " + line.error().message);
            if (!*line)
                break;
            LogRecord record = recordAt(blockRecords);
            if (matcher.matches(record))
                found.push_back({blockRecords.columnInt(0), std::move(record)});
        }
        blockRecords.reset();
        if (found.size() >= 2 * limit || (found.size() >= limit && !bound))
            prune();
    }
    blocks.reset();
    prune();
    std::sort(found.begin(), found.end(), better);
    std::vector<LogRecord> out;
    out.reserve(found.size());
    for (Found &f : found)
        out.push_back(std::move(f.record));
    if (newestFirst)
        std::reverse(out.begin(), out.end());
    return out;
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
    // Parameters of the range statements:
    //   ?1, ?2  the time range, both ends included;  ?3 the lowest level
    //   ?4      the targets as a JSON array, or NULL for all;  ?5 a LIMIT (-1: none, the caller stops)
    // of the block statements: ?1 an FTS5 query over the trigrams (LogSearch::ftsQuery), ?2, ?3 the
    // time range; of blockRecords: ?1, ?2 a block's first and last record.
    const Item items[] = {
        {&impl->newest,
         "SELECT id, time_ms, target, file, offset, level, flags, message, fields, raw FROM log_record "
         "WHERE time_ms >= ?1 AND time_ms <= ?2 AND level >= ?3 AND (?4 IS NULL OR target IN (SELECT value FROM json_each(?4))) "
         "ORDER BY time_ms DESC, id DESC LIMIT ?5"},
        {&impl->oldest,
         "SELECT id, time_ms, target, file, offset, level, flags, message, fields, raw FROM log_record "
         "WHERE time_ms >= ?1 AND time_ms <= ?2 AND level >= ?3 AND (?4 IS NULL OR target IN (SELECT value FROM json_each(?4))) "
         "ORDER BY time_ms, id LIMIT ?5"},
        {&impl->blocksNewest,
         "SELECT id, first_id, last_id, min_time_ms, max_time_ms FROM log_block "
         "WHERE id IN (SELECT rowid FROM log_text WHERE log_text MATCH ?1) AND max_time_ms >= ?2 AND min_time_ms <= ?3 "
         "ORDER BY max_time_ms DESC, id DESC"},
        {&impl->blocksOldest,
         "SELECT id, first_id, last_id, min_time_ms, max_time_ms FROM log_block "
         "WHERE id IN (SELECT rowid FROM log_text WHERE log_text MATCH ?1) AND max_time_ms >= ?2 AND min_time_ms <= ?3 "
         "ORDER BY min_time_ms, id"},
        {&impl->blockRecords,
         "SELECT id, time_ms, target, file, offset, level, flags, message, fields, raw FROM log_record "
         "WHERE id BETWEEN ?1 AND ?2 ORDER BY id"},
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
    // terms, NOT and regular expressions are decided by the matcher on every row of the range.
    const std::optional<std::string> fts = q.regex ? std::nullopt : matcher->search().ftsQuery();
    std::lock_guard lock(m_mutex);
    if (fts)
        return m_impl->search(q, *matcher, *fts, limit);
    const std::string targets = q.targets.empty() ? std::string() : targetsJson(q.targets);
    Statement &page = q.keepNewest ? m_impl->newest : m_impl->oldest;
    page.reset();
    page.bind(1, q.fromMs).bind(2, q.toMs - 1);
    page.bind(3, static_cast<std::int64_t>(q.minLevel));
    if (targets.empty())
        page.bindNull(4);
    else
        page.bind(4, std::string_view(targets));
    page.bind(5, std::int64_t{-1}); // no LIMIT: the loop stops
    std::vector<LogRecord> out;
    for (;;) {
        auto row = page.step();
        if (!row)
            return fail("cannot read the log records: " + row.error().message);
        if (!*row)
            break;
        LogRecord record = recordAt(page);
        if (matcher->matches(record)) {
            out.push_back(std::move(record));
            if (out.size() >= limit)
                break;
        }
    }
    page.reset();
    if (q.keepNewest)
        std::reverse(out.begin(), out.end());
    return out;
}

} // namespace pulse::storage
