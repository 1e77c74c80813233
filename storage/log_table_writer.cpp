// LogTableWriter: pending log records and positions, written inside the writer's commit (see
// log_table_writer.h).
#include "storage/log_table_writer.h"

#include <algorithm>
#include <bit>
#include <cstdint>

namespace pulse::storage {

struct LogTableWriter::Statements {
    Statement upsertPosition, addBytes, readBytes, positions, stalePositions;
};

Result<std::unique_ptr<LogTableWriter>> LogTableWriter::prepare(SqliteDb &db)
{
    auto stmts = std::make_unique<Statements>();
    struct Item {
        Statement *stmt;
        SqlText sql;
    };
    const Item items[] = {
        {&stmts->upsertPosition,
         "INSERT OR REPLACE INTO log_position(target, path, device, inode, offset, first_line_hash, "
         "first_line_length, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
        {&stmts->addBytes, "UPDATE log_stats SET bytes = bytes + ?1"},
        {&stmts->readBytes, "SELECT bytes FROM log_stats"},
        {&stmts->positions, "SELECT target, path, device, inode, offset, first_line_hash, first_line_length "
                            "FROM log_position"},
        {&stmts->stalePositions, "DELETE FROM log_position WHERE updated_ms < ?1"},
    };
    for (const Item &item : items) {
        auto stmt = db.prepare(item.sql);
        if (!stmt)
            return fail("cannot prepare the log statements: " + stmt.error().message);
        *item.stmt = std::move(*stmt);
    }
    auto row = stmts->readBytes.step();
    if (!row || !*row)
        return fail("cannot read log_stats: " + (row ? std::string("no row") : row.error().message));
    const std::int64_t bytes = stmts->readBytes.columnInt(0);
    stmts->readBytes.reset();
    auto blocks = LogBlockStore::prepare(db);
    if (!blocks)
        return std::unexpected(blocks.error());
    return std::unique_ptr<LogTableWriter>(new LogTableWriter(std::move(stmts), std::move(*blocks), bytes));
}

LogTableWriter::LogTableWriter(std::unique_ptr<Statements> statements, std::unique_ptr<LogBlockStore> blocks,
                               std::int64_t bytes)
    : m_stmts(std::move(statements)), m_blocks(std::move(blocks)), m_bytes(bytes)
{
}

LogTableWriter::~LogTableWriter() = default;

void LogTableWriter::add(LogBatch batch)
{
    if (m_records.empty())
        m_records = std::move(batch.records);
    else
        std::move(batch.records.begin(), batch.records.end(), std::back_inserter(m_records));
    for (LogCheckpoint &c : batch.checkpoints) {
        auto same = std::find_if(m_checkpoints.begin(), m_checkpoints.end(),
                                 [&](const LogCheckpoint &p) { return p.target == c.target && p.path == c.path; });
        if (same != m_checkpoints.end())
            *same = std::move(c);
        else
            m_checkpoints.push_back(std::move(c));
    }
}

Result<void> LogTableWriter::write(std::int64_t nowMs)
{
    auto stored = m_blocks->add(m_records);
    if (!stored)
        return std::unexpected(stored.error());
    m_pendingBytes = *stored;
    Statement &upsert = m_stmts->upsertPosition;
    for (const LogCheckpoint &c : m_checkpoints) {
        // Unsigned values go in as their bit patterns: SQLite integers are signed 64-bit.
        upsert.reset();
        upsert.bind(1, c.target)
            .bind(2, c.path)
            .bind(3, std::bit_cast<std::int64_t>(c.position.device))
            .bind(4, std::bit_cast<std::int64_t>(c.position.inode))
            .bind(5, std::bit_cast<std::int64_t>(c.position.offset))
            .bind(6, std::bit_cast<std::int64_t>(c.position.firstLineHash))
            .bind(7, static_cast<std::int64_t>(c.position.firstLineLength))
            .bind(8, nowMs);
        if (auto done = upsert.run(); !done)
            return fail("cannot store a log position: " + done.error().message);
    }
    if (m_pendingBytes != 0) {
        m_stmts->addBytes.reset();
        m_stmts->addBytes.bind(1, m_pendingBytes);
        if (auto done = m_stmts->addBytes.run(); !done)
            return fail("cannot count the log bytes: " + done.error().message);
    }
    return {};
}

void LogTableWriter::committed()
{
    m_committed += m_records.size();
    m_bytes += m_pendingBytes;
    m_pendingBytes = 0;
    m_records.clear();
    m_checkpoints.clear();
}

Result<LogTableWriter::Expired> LogTableWriter::deleteBlocks(int maxBlocks, std::optional<std::int64_t> horizonMs)
{
    auto deleted = m_blocks->deleteOldest(maxBlocks, horizonMs);
    if (!deleted)
        return std::unexpected(deleted.error());
    if (deleted->bytes != 0) {
        m_stmts->addBytes.reset();
        m_stmts->addBytes.bind(1, -deleted->bytes);
        if (auto done = m_stmts->addBytes.run(); !done)
            return fail("cannot count the log bytes: " + done.error().message);
    }
    return Expired{deleted->rows, deleted->bytes, deleted->blocks >= maxBlocks};
}

Result<LogTableWriter::Expired> LogTableWriter::expireOlderThan(std::int64_t horizonMs, std::int64_t retentionMs,
                                                                int maxRows)
{
    // Whole blocks (log_block_store.h): a block goes once its newest line is past the horizon.
    auto expired = deleteBlocks(std::max(1, maxRows / LogBlockStore::kLinesPerBlock), horizonMs);
    if (!expired)
        return expired;
    // Positions go four retention periods (at least 30 days) after they last moved.
    constexpr std::int64_t kMinPositionAgeMs = 30LL * 86'400'000;
    const std::int64_t nowMs = horizonMs + retentionMs;
    if (auto pruned = prunePositions(nowMs - std::max(4 * retentionMs, kMinPositionAgeMs)); !pruned)
        return std::unexpected(pruned.error());
    return expired;
}

Result<void> LogTableWriter::prunePositions(std::int64_t horizonMs)
{
    // A position that has not moved since long before the records' horizon belongs to a file gone
    // (a rotated name a glob followed, a removed target) or idle for that long; without this they
    // would pile up for ever. Judged by age alone: a stat() of the path here could hang the writer
    // on a dead network mount. An idle file whose position went starts as a new one (start_at).
    Statement &stale = m_stmts->stalePositions;
    stale.reset();
    stale.bind(1, horizonMs);
    if (auto done = stale.run(); !done)
        return fail("cannot forget old log positions: " + done.error().message);
    return {};
}

Result<LogTableWriter::Expired> LogTableWriter::expireOverSize(std::uint64_t maxBytes, int maxRows)
{
    if (maxBytes == 0 || m_bytes <= static_cast<std::int64_t>(std::min<std::uint64_t>(maxBytes, INT64_MAX)))
        return Expired{};
    // Down to 95 % of the bound, so a full store does not delete a few rows after every commit.
    const std::int64_t target = static_cast<std::int64_t>(maxBytes / 20 * 19);
    Expired total;
    while (total.rows < maxRows && m_bytes - total.bytes > target) {
        auto e = deleteBlocks(1, std::nullopt); // a block at a time: the bound is not undershot by much
        if (!e)
            return e;
        total.rows += e->rows;
        total.bytes += e->bytes;
        if (!e->more)
            break; // nothing left
    }
    total.more = total.rows >= maxRows && m_bytes - total.bytes > target;
    return total;
}

Result<std::vector<LogCheckpoint>> LogTableWriter::checkpoints()
{
    Statement &read = m_stmts->positions;
    read.reset();
    std::vector<LogCheckpoint> out;
    auto walked = read.forEachRow([&] {
        LogCheckpoint c;
        c.target = std::string(read.columnText(0));
        c.path = std::string(read.columnText(1));
        c.position.device = std::bit_cast<std::uint64_t>(read.columnInt(2));
        c.position.inode = std::bit_cast<std::uint64_t>(read.columnInt(3));
        c.position.offset = std::bit_cast<std::uint64_t>(read.columnInt(4));
        c.position.firstLineHash = std::bit_cast<std::uint64_t>(read.columnInt(5));
        c.position.firstLineLength = static_cast<std::uint32_t>(read.columnInt(6));
        out.push_back(std::move(c));
    });
    if (!walked)
        return fail("cannot read the log positions: " + walked.error().message);
    return out;
}

} // namespace pulse::storage
