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
    Statement newest, oldest, newestSearch, oldestSearch;
};

Result<std::unique_ptr<SqliteLogReader>> SqliteLogReader::open(const std::string &path)
{
    auto db = StoreSchema::openForRead(path);
    if (!db)
        return std::unexpected(db.error());
    auto impl = std::make_unique<Impl>(Impl{std::move(*db), {}, {}, {}, {}});
    struct Item {
        Statement *stmt;
        SqlText sql;
    };
    // Parameters of every statement:
    //   ?1, ?2  the time range, both ends included;  ?3 the lowest level
    //   ?4      the targets as a JSON array, or NULL for all;  ?5 a LIMIT (-1: none, the caller stops)
    //   ?6      (search statements) an FTS5 query over the trigrams (LogSearch::ftsQuery)
    const Item items[] = {
        {&impl->newest,
         "SELECT id, time_ms, target, file, offset, level, flags, message, fields, raw FROM log_record "
         "WHERE time_ms >= ?1 AND time_ms <= ?2 AND level >= ?3 AND (?4 IS NULL OR target IN (SELECT value FROM json_each(?4))) "
         "ORDER BY time_ms DESC, id DESC LIMIT ?5"},
        {&impl->oldest,
         "SELECT id, time_ms, target, file, offset, level, flags, message, fields, raw FROM log_record "
         "WHERE time_ms >= ?1 AND time_ms <= ?2 AND level >= ?3 AND (?4 IS NULL OR target IN (SELECT value FROM json_each(?4))) "
         "ORDER BY time_ms, id LIMIT ?5"},
        {&impl->newestSearch,
         "SELECT id, time_ms, target, file, offset, level, flags, message, fields, raw FROM log_record "
         "WHERE time_ms >= ?1 AND time_ms <= ?2 AND level >= ?3 AND (?4 IS NULL OR target IN (SELECT value FROM json_each(?4))) "
         "AND id IN (SELECT rowid FROM log_text WHERE log_text MATCH ?6) "
         "ORDER BY time_ms DESC, id DESC LIMIT ?5"},
        {&impl->oldestSearch,
         "SELECT id, time_ms, target, file, offset, level, flags, message, fields, raw FROM log_record "
         "WHERE time_ms >= ?1 AND time_ms <= ?2 AND level >= ?3 AND (?4 IS NULL OR target IN (SELECT value FROM json_each(?4))) "
         "AND id IN (SELECT rowid FROM log_text WHERE log_text MATCH ?6) "
         "ORDER BY time_ms, id LIMIT ?5"},
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
    // The trigram index narrows a search to the rows that may match (LogSearch::ftsQuery); short
    // terms, NOT and regular expressions are decided by the matcher on every row of the range.
    const std::optional<std::string> fts = q.regex ? std::nullopt : matcher->search().ftsQuery();
    const bool search = fts.has_value();
    const std::string phrase = fts.value_or(std::string());
    const std::string targets = q.targets.empty() ? std::string() : targetsJson(q.targets);

    std::lock_guard lock(m_mutex);
    Statement &page = q.keepNewest ? (search ? m_impl->newestSearch : m_impl->newest)
                                   : (search ? m_impl->oldestSearch : m_impl->oldest);
    // One pass over the range in order, stopped once the limit is met: the search subquery is built
    // once per query (re-running it for each page made a common word quadratic).
    page.reset();
    page.bind(1, q.fromMs).bind(2, q.toMs - 1);
    page.bind(3, static_cast<std::int64_t>(q.minLevel));
    if (targets.empty())
        page.bindNull(4);
    else
        page.bind(4, std::string_view(targets));
    page.bind(5, std::int64_t{-1}); // no LIMIT: the loop stops
    if (search)
        page.bind(6, std::string_view(phrase));
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
