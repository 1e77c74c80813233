// LogBlockIndex: blocks of log records in a contentless FTS5 trigram index (see log_block_index.h).
#include "storage/log_block_index.h"

#include "core/logs/log_search.h"

#include <unordered_set>

namespace pulse::storage {

struct LogBlockIndex::Statements {
    Statement insertBlock, insertText, deleteText, deleteBlock, deleteRecords, readRaws, oldest, oldestBefore;
};

std::string LogBlockIndex::blockText(const std::vector<std::string_view> &raws)
{
    // The lines, ASCII lower-cased as the trigram tokenizer folds case anyway; then each distinct
    // word once, in the order they first come. A NUL is a separator, so none reaches the tokenizer
    // (which, before SQLite 3.45, stops at one).
    std::string lowered;
    std::size_t size = 0;
    for (std::string_view r : raws)
        size += r.size() + 1;
    lowered.reserve(size);
    for (std::string_view r : raws) {
        for (char c : r)
            lowered += c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
        lowered += '\n';
    }
    std::unordered_set<std::string_view> seen;
    seen.reserve(raws.size() * 16);
    std::string text;
    const std::string_view all = lowered;
    for (std::size_t pos = 0; pos < all.size();) {
        while (pos < all.size() && isIndexWordSeparator(all[pos]))
            ++pos;
        std::size_t end = pos;
        while (end < all.size() && !isIndexWordSeparator(all[end]))
            ++end;
        const std::string_view word = all.substr(pos, end - pos);
        if (!word.empty() && seen.insert(word).second) {
            if (!text.empty())
                text += '\n';
            text += word;
        }
        pos = end;
    }
    return text;
}

Result<std::unique_ptr<LogBlockIndex>> LogBlockIndex::prepare(SqliteDb &db)
{
    auto stmts = std::make_unique<Statements>();
    struct Item {
        Statement *stmt;
        SqlText sql;
    };
    const Item items[] = {
        {&stmts->insertBlock,
         "INSERT INTO log_block(first_id, last_id, min_time_ms, max_time_ms) VALUES (?1, ?2, ?3, ?4)"},
        {&stmts->insertText, "INSERT INTO log_text(rowid, raw) VALUES (?1, ?2)"},
        {&stmts->deleteText, "INSERT INTO log_text(log_text, rowid, raw) VALUES ('delete', ?1, ?2)"},
        {&stmts->deleteBlock, "DELETE FROM log_block WHERE id = ?1"},
        {&stmts->deleteRecords,
         "DELETE FROM log_record WHERE id BETWEEN ?1 AND ?2 "
         "RETURNING length(raw) + length(message) + length(fields) + length(CAST(target AS BLOB)) + "
         "length(CAST(file AS BLOB)) + 48"},
        {&stmts->readRaws, "SELECT raw FROM log_record WHERE id BETWEEN ?1 AND ?2 ORDER BY id"},
        {&stmts->oldest, "SELECT id, first_id, last_id FROM log_block ORDER BY max_time_ms, id LIMIT ?1"},
        {&stmts->oldestBefore,
         "SELECT id, first_id, last_id FROM log_block WHERE max_time_ms < ?1 ORDER BY max_time_ms, id LIMIT ?2"},
    };
    for (const Item &item : items) {
        auto stmt = db.prepare(item.sql);
        if (!stmt)
            return fail("cannot prepare the log index statements: " + stmt.error().message);
        *item.stmt = std::move(*stmt);
    }
    return std::unique_ptr<LogBlockIndex>(new LogBlockIndex(db, std::move(stmts)));
}

LogBlockIndex::LogBlockIndex(SqliteDb &db, std::unique_ptr<Statements> statements)
    : m_db(db), m_stmts(std::move(statements))
{
}

LogBlockIndex::~LogBlockIndex() = default;

Result<void> LogBlockIndex::add(const std::vector<Line> &lines)
{
    for (std::size_t start = 0; start < lines.size(); start += kLinesPerBlock) {
        const std::size_t end = std::min(lines.size(), start + kLinesPerBlock);
        if (auto done = writeBlock(&lines[start], &lines[end - 1]); !done)
            return done;
    }
    return {};
}

Result<void> LogBlockIndex::writeBlock(const Line *first, const Line *last)
{
    std::int64_t minTime = first->timeMs;
    std::int64_t maxTime = first->timeMs;
    std::vector<std::string_view> raws;
    for (const Line *l = first; l <= last; ++l) {
        minTime = std::min(minTime, l->timeMs);
        maxTime = std::max(maxTime, l->timeMs);
        raws.push_back(l->raw);
    }
    Statement &block = m_stmts->insertBlock;
    block.reset();
    block.bind(1, first->id).bind(2, last->id).bind(3, minTime).bind(4, maxTime);
    if (auto done = block.run(); !done)
        return fail("cannot store a log block: " + done.error().message);
    const std::int64_t blockId = m_db.lastInsertRowId();
    const std::string text = blockText(raws);
    Statement &index = m_stmts->insertText;
    index.reset();
    index.bind(1, blockId).bind(2, std::string_view(text));
    if (auto done = index.run(); !done)
        return fail("cannot index log lines: " + done.error().message);
    return {};
}

Result<LogBlockIndex::Deleted> LogBlockIndex::deleteOldest(int maxBlocks, std::optional<std::int64_t> horizonMs)
{
    struct Block {
        std::int64_t id, first, last;
    };
    std::vector<Block> blocks;
    Statement &pick = horizonMs ? m_stmts->oldestBefore : m_stmts->oldest;
    pick.reset();
    if (horizonMs)
        pick.bind(1, *horizonMs).bind(2, std::int64_t{maxBlocks});
    else
        pick.bind(1, std::int64_t{maxBlocks});
    auto walked = pick.forEachRow([&] { blocks.push_back({pick.columnInt(0), pick.columnInt(1), pick.columnInt(2)}); });
    if (!walked)
        return fail("cannot find old log blocks: " + walked.error().message);
    Deleted deleted;
    for (const Block &b : blocks) {
        // The index forgets the block's text first: FTS5 needs it, and it is read from the records.
        Statement &read = m_stmts->readRaws;
        read.reset();
        read.bind(1, b.first).bind(2, b.last);
        std::vector<std::string> owned;
        auto readOk = read.forEachRow([&] { owned.emplace_back(read.columnText(0)); });
        if (!readOk)
            return fail("cannot read an old log block: " + readOk.error().message);
        const std::vector<std::string_view> raws(owned.begin(), owned.end());
        const std::string text = blockText(raws);
        Statement &unindex = m_stmts->deleteText;
        unindex.reset();
        unindex.bind(1, b.id).bind(2, std::string_view(text));
        if (auto done = unindex.run(); !done)
            return fail("cannot unindex old log lines: " + done.error().message);
        Statement &records = m_stmts->deleteRecords;
        records.reset();
        records.bind(1, b.first).bind(2, b.last);
        auto gone = records.forEachRow([&] {
            ++deleted.rows;
            deleted.bytes += records.columnInt(0);
        });
        if (!gone)
            return fail("cannot expire log records: " + gone.error().message);
        Statement &block = m_stmts->deleteBlock;
        block.reset();
        block.bind(1, b.id);
        if (auto done = block.run(); !done)
            return fail("cannot expire a log block: " + done.error().message);
        ++deleted.blocks;
    }
    return deleted;
}

Result<void> LogBlockIndex::rebuild(SqliteDb &db)
{
    auto index = prepare(db);
    if (!index)
        return std::unexpected(index.error());
    auto read = db.prepare("SELECT id, time_ms, raw FROM log_record ORDER BY id");
    if (!read)
        return fail("cannot read the log records: " + read.error().message);
    std::vector<std::string> raws;
    std::vector<Line> lines;
    const auto flush = [&]() -> Result<void> {
        for (std::size_t i = 0; i < lines.size(); ++i)
            lines[i].raw = raws[i];
        auto done = (*index)->add(lines);
        lines.clear();
        raws.clear();
        return done;
    };
    Result<void> status;
    auto walked = read->forEachRow([&] {
        if (!status)
            return;
        // Blocks hold consecutive ids: a gap (rows deleted) starts a new one.
        if (!lines.empty() &&
            (lines.size() == std::size_t(kLinesPerBlock) || read->columnInt(0) != lines.back().id + 1))
            status = flush();
        lines.push_back({read->columnInt(0), read->columnInt(1), {}});
        raws.emplace_back(read->columnText(2));
    });
    if (!walked)
        return fail("cannot read the log records: " + walked.error().message);
    if (!status)
        return status;
    return flush();
}

} // namespace pulse::storage
