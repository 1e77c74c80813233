// LogTableWriter: pending log records and positions, written inside the writer's commit (see
// log_table_writer.h).
#include "storage/log_table_writer.h"

#include "storage/log_record_codec.h"

#include <algorithm>
#include <bit>

namespace pulse::storage {

struct LogTableWriter::Statements {
    Statement insertRecord, upsertPosition, expireBefore, positions;
};

Result<std::unique_ptr<LogTableWriter>> LogTableWriter::prepare(SqliteDb &db)
{
    auto stmts = std::make_unique<Statements>();
    struct Item {
        Statement *stmt;
        SqlText sql;
    };
    const Item items[] = {
        {&stmts->insertRecord, "INSERT INTO log_record(time_ms, target, file, offset, level, flags, message, fields, raw) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
        {&stmts->upsertPosition,
         "INSERT OR REPLACE INTO log_position(target, path, device, inode, offset, first_line_hash, "
         "first_line_length, updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
        // The time index hands the oldest rows out first; the trigger takes them out of log_text.
        {&stmts->expireBefore, "DELETE FROM log_record WHERE id IN (SELECT id FROM log_record WHERE time_ms < ?1 "
                               "ORDER BY time_ms LIMIT ?2)"},
        {&stmts->positions, "SELECT target, path, device, inode, offset, first_line_hash, first_line_length "
                            "FROM log_position"},
    };
    for (const Item &item : items) {
        auto stmt = db.prepare(item.sql);
        if (!stmt)
            return fail("cannot prepare the log statements: " + stmt.error().message);
        *item.stmt = std::move(*stmt);
    }
    return std::unique_ptr<LogTableWriter>(new LogTableWriter(db, std::move(stmts)));
}

LogTableWriter::LogTableWriter(SqliteDb &db, std::unique_ptr<Statements> statements)
    : m_db(db), m_stmts(std::move(statements))
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
        auto same = std::find_if(m_checkpoints.begin(), m_checkpoints.end(), [&](const LogCheckpoint &p) {
            return p.target == c.target && p.path == c.path;
        });
        if (same != m_checkpoints.end())
            *same = std::move(c);
        else
            m_checkpoints.push_back(std::move(c));
    }
}

Result<void> LogTableWriter::write(std::int64_t nowMs)
{
    Statement &insert = m_stmts->insertRecord;
    for (const LogRecord &r : m_records) {
        insert.reset();
        insert.bind(1, r.timestampMs)
            .bind(2, r.target)
            .bind(3, r.file)
            .bind(4, static_cast<std::int64_t>(r.offset))
            .bind(5, static_cast<std::int64_t>(r.level))
            .bind(6, logRecordFlags(r))
            .bindBlob(7, r.message)
            .bindBlob(8, encodeLogFields(r.fields))
            .bindBlob(9, r.raw);
        if (auto done = insert.run(); !done)
            return fail("cannot store a log record: " + done.error().message);
    }
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
    return {};
}

void LogTableWriter::committed()
{
    m_committed += m_records.size();
    m_records.clear();
    m_checkpoints.clear();
}

Result<bool> LogTableWriter::expire(std::int64_t horizonMs, int maxRows)
{
    Statement &expire = m_stmts->expireBefore;
    expire.reset();
    expire.bind(1, horizonMs).bind(2, static_cast<std::int64_t>(maxRows));
    if (auto done = expire.run(); !done)
        return fail("cannot expire log records: " + done.error().message);
    return m_db.changes() >= maxRows;
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
