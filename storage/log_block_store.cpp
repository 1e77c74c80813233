// LogBlockStore: log records in compressed blocks with a contentless FTS5 trigram index (see
// log_block_store.h).
#include "storage/log_block_store.h"

#include "core/logs/log_search.h"
#include "storage/log_block_codec.h"
#include "storage/log_record_codec.h"

#include <algorithm>
#include <unordered_set>

namespace pulse::storage {

struct LogBlockStore::Statements {
    Statement insertBlock, insertData, insertText, deleteText, deleteBlock, deleteData, oldest, oldestBefore;
};

std::string LogBlockStore::blockText(const std::vector<std::string_view> &raws)
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

std::int64_t LogBlockStore::levelMask(LogLevel minLevel)
{
    constexpr std::int64_t all = (std::int64_t{1} << (static_cast<int>(LogLevel::Fatal) + 1)) - 1;
    return all & ~((std::int64_t{1} << static_cast<int>(minLevel)) - 1);
}

Result<std::unique_ptr<LogBlockStore>> LogBlockStore::prepare(SqliteDb &db)
{
    auto stmts = std::make_unique<Statements>();
    struct Item {
        Statement *stmt;
        SqlText sql;
    };
    const Item items[] = {
        {&stmts->insertBlock, "INSERT INTO log_block(min_time_ms, max_time_ms, count, levels, bytes) "
                              "VALUES (?1, ?2, ?3, ?4, ?5)"},
        {&stmts->insertData, "INSERT INTO log_block_data(id, data) VALUES (?1, ?2)"},
        {&stmts->insertText, "INSERT INTO log_text(rowid, raw) VALUES (?1, ?2)"},
        {&stmts->deleteText, "INSERT INTO log_text(log_text, rowid, raw) VALUES ('delete', ?1, ?2)"},
        {&stmts->deleteBlock, "DELETE FROM log_block WHERE id = ?1"},
        {&stmts->deleteData, "DELETE FROM log_block_data WHERE id = ?1"},
        {&stmts->oldest, "SELECT b.id, b.count, b.bytes, d.data FROM log_block b "
                         "LEFT JOIN log_block_data d ON d.id = b.id ORDER BY b.max_time_ms, b.id LIMIT ?1"},
        {&stmts->oldestBefore, "SELECT b.id, b.count, b.bytes, d.data FROM log_block b "
                               "LEFT JOIN log_block_data d ON d.id = b.id WHERE b.max_time_ms < ?1 "
                               "ORDER BY b.max_time_ms, b.id LIMIT ?2"},
    };
    for (const Item &item : items) {
        auto stmt = db.prepare(item.sql);
        if (!stmt)
            return fail("cannot prepare the log block statements: " + stmt.error().message);
        *item.stmt = std::move(*stmt);
    }
    return std::unique_ptr<LogBlockStore>(new LogBlockStore(db, std::move(stmts)));
}

LogBlockStore::LogBlockStore(SqliteDb &db, std::unique_ptr<Statements> statements)
    : m_db(db), m_stmts(std::move(statements))
{
}

LogBlockStore::~LogBlockStore() = default;

Result<std::int64_t> LogBlockStore::add(const std::vector<LogRecord> &records)
{
    std::int64_t bytes = 0;
    for (std::size_t start = 0; start < records.size(); start += kLinesPerBlock) {
        const std::size_t end = std::min(records.size(), start + kLinesPerBlock);
        auto written = writeBlock(records.data() + start, records.data() + end);
        if (!written)
            return written;
        bytes += *written;
    }
    return bytes;
}

Result<std::int64_t> LogBlockStore::writeBlock(const LogRecord *first, const LogRecord *last)
{
    std::int64_t minTime = first->timestampMs;
    std::int64_t maxTime = first->timestampMs;
    std::int64_t levels = 0;
    std::vector<std::string_view> raws;
    raws.reserve(static_cast<std::size_t>(last - first));
    for (const LogRecord *r = first; r != last; ++r) {
        minTime = std::min(minTime, r->timestampMs);
        maxTime = std::max(maxTime, r->timestampMs);
        levels |= std::int64_t{1} << static_cast<int>(r->level);
        raws.push_back(r->raw);
    }
    auto data = LogBlockCodec::encode(first, last);
    if (!data)
        return std::unexpected(data.error());
    const std::int64_t bytes = static_cast<std::int64_t>(data->size()) + kBlockOverhead;
    Statement &block = m_stmts->insertBlock;
    block.reset();
    block.bind(1, minTime)
        .bind(2, maxTime)
        .bind(3, static_cast<std::int64_t>(last - first))
        .bind(4, levels)
        .bind(5, bytes);
    if (auto done = block.run(); !done)
        return fail("cannot store a log block: " + done.error().message);
    const std::int64_t blockId = m_db.lastInsertRowId();
    Statement &records = m_stmts->insertData;
    records.reset();
    records.bind(1, blockId).bindBlob(2, *data);
    if (auto done = records.run(); !done)
        return fail("cannot store a log block: " + done.error().message);
    const std::string text = blockText(raws);
    Statement &index = m_stmts->insertText;
    index.reset();
    index.bind(1, blockId).bind(2, std::string_view(text));
    if (auto done = index.run(); !done)
        return fail("cannot index log lines: " + done.error().message);
    return bytes;
}

Result<LogBlockStore::Deleted> LogBlockStore::deleteOldest(int maxBlocks, std::optional<std::int64_t> horizonMs)
{
    struct Block {
        std::int64_t id, count, bytes;
        std::string data;
    };
    std::vector<Block> blocks;
    Statement &pick = horizonMs ? m_stmts->oldestBefore : m_stmts->oldest;
    pick.reset();
    if (horizonMs)
        pick.bind(1, *horizonMs).bind(2, std::int64_t{maxBlocks});
    else
        pick.bind(1, std::int64_t{maxBlocks});
    auto walked = pick.forEachRow([&] {
        blocks.push_back({pick.columnInt(0), pick.columnInt(1), pick.columnInt(2), std::string(pick.columnText(3))});
    });
    if (!walked)
        return fail("cannot find old log blocks: " + walked.error().message);
    Deleted deleted;
    for (const Block &b : blocks) {
        // The index forgets the block's text first: FTS5 needs the text it indexed, made again from
        // the block's lines.
        // A block that cannot be decoded (damaged on disk) still goes, or retention would stop at it
        // for ever; its index entry stays behind, matching no block (ids are never reused).
        if (auto owned = LogBlockCodec::raws(b.data)) {
            const std::vector<std::string_view> raws(owned->begin(), owned->end());
            const std::string text = blockText(raws);
            Statement &unindex = m_stmts->deleteText;
            unindex.reset();
            unindex.bind(1, b.id).bind(2, std::string_view(text));
            if (auto done = unindex.run(); !done)
                return fail("cannot unindex old log lines: " + done.error().message);
        }
        for (Statement *remove : {&m_stmts->deleteBlock, &m_stmts->deleteData}) {
            remove->reset();
            remove->bind(1, b.id);
            if (auto done = remove->run(); !done)
                return fail("cannot expire a log block: " + done.error().message);
        }
        deleted.rows += b.count;
        deleted.bytes += b.bytes;
        ++deleted.blocks;
    }
    return deleted;
}

Result<void> LogBlockStore::moveRecords(SqliteDb &db)
{
    auto store = prepare(db);
    if (!store)
        return std::unexpected(store.error());
    auto read = db.prepare("SELECT time_ms, target, file, offset, level, flags, message, fields, raw "
                           "FROM log_record ORDER BY id");
    if (!read)
        return fail("cannot read the log records: " + read.error().message);
    std::vector<LogRecord> records;
    std::int64_t bytes = 0;
    Result<void> status;
    const auto flush = [&] {
        auto added = (*store)->add(records);
        records.clear();
        if (!added)
            status = std::unexpected(added.error());
        else
            bytes += *added;
    };
    auto walked = read->forEachRow([&] {
        if (!status)
            return;
        LogRecord r;
        r.timestampMs = read->columnInt(0);
        r.target = std::string(read->columnText(1));
        r.file = std::string(read->columnText(2));
        r.offset = static_cast<std::uint64_t>(read->columnInt(3));
        r.level =
            static_cast<LogLevel>(std::clamp<std::int64_t>(read->columnInt(4), 0, static_cast<int>(LogLevel::Fatal)));
        applyLogRecordFlags(read->columnInt(5), r);
        r.message = std::string(read->columnText(6));
        if (auto fields = decodeLogFields(read->columnText(7)))
            r.fields = std::move(*fields);
        r.raw = std::string(read->columnText(8));
        records.push_back(std::move(r));
        if (records.size() == std::size_t(kLinesPerBlock))
            flush();
    });
    if (!walked)
        return fail("cannot read the log records: " + walked.error().message);
    if (status && !records.empty())
        flush();
    if (!status)
        return status;
    auto count = db.prepare("UPDATE log_stats SET bytes = ?1");
    if (!count)
        return fail("cannot count the log bytes: " + count.error().message);
    count->bind(1, bytes);
    if (auto done = count->run(); !done)
        return fail("cannot count the log bytes: " + done.error().message);
    if (auto dropped = db.exec("DROP TABLE log_record"); !dropped)
        return fail("cannot drop the old log table: " + dropped.error().message);
    return {};
}

} // namespace pulse::storage
