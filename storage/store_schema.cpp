// Opening, ownership checks and forward migrations of the history database (see store_schema.h).
#include "storage/store_schema.h"

#include "storage/log_block_store.h"
#include "storage/rollup_rebuild.h"

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace pulse::storage {

namespace {

// Migration N brings a database from version N-1 to N: literal SQL ending with the user_version it
// produces, then an optional data step in C++; schema_version is filled in by migrate() with bound values.
struct Migration {
    SqlText sql;
    Result<void> (*data)(SqliteDb &db);
};

constexpr Migration kMigrations[] = {
    // 1: the initial schema.
    {R"sql(
CREATE TABLE schema_version(version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL);
CREATE TABLE series(
    id INTEGER PRIMARY KEY,
    metric BLOB NOT NULL,
    labels BLOB NOT NULL,
    UNIQUE(metric, labels));
CREATE TABLE series_label(
    name BLOB NOT NULL,
    value BLOB NOT NULL,
    series_id INTEGER NOT NULL,
    PRIMARY KEY(name, value, series_id)) WITHOUT ROWID;
CREATE TABLE chunk(
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    count INTEGER NOT NULL,
    data BLOB NOT NULL);
CREATE INDEX chunk_by_series ON chunk(series_id, start_ms);
CREATE TABLE head_chunk(
    series_id INTEGER PRIMARY KEY,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    count INTEGER NOT NULL,
    data BLOB NOT NULL);
CREATE TABLE rollup_chunk(
    id INTEGER PRIMARY KEY,
    resolution_ms INTEGER NOT NULL,
    series_id INTEGER NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    count INTEGER NOT NULL,
    data BLOB NOT NULL);
CREATE INDEX rollup_by_series ON rollup_chunk(resolution_ms, series_id, start_ms);
CREATE TABLE rollup_head(
    resolution_ms INTEGER NOT NULL,
    series_id INTEGER NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    count INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY(resolution_ms, series_id)) WITHOUT ROWID;
PRAGMA application_id = 1347179330;
PRAGMA user_version = 1;
)sql",
     nullptr},
    // 2: retention deletes expired chunks oldest-end first without scanning the tables.
    {R"sql(
CREATE INDEX chunk_by_end ON chunk(end_ms);
CREATE INDEX rollup_by_end ON rollup_chunk(resolution_ms, end_ms);
PRAGMA user_version = 2;
)sql",
     nullptr},
    // 3: rollup buckets are (start, start + resolution], and sparse series keep no 1-minute buckets
    // while their raw chunks last; the rollups are rebuilt from the raw samples (rollup_rebuild.h).
    {R"sql(
PRAGMA user_version = 3;
)sql",
     rebuildRollups},
    // 4: samples not yet in head rows are journalled in head_log, one row per commit (head_log.h).
    {R"sql(
CREATE TABLE head_log(seq INTEGER PRIMARY KEY AUTOINCREMENT, data BLOB NOT NULL);
PRAGMA user_version = 4;
)sql",
     nullptr},
    // 5: the series catalogue loses UNIQUE(metric, labels). Its index repeated every series' name and
    // labels (4 % of a young node_exporter file) and nothing read it: the one writer keeps the
    // identity map in memory and inserts with explicit ids. Raw chunks may now be coded as deltas
    // (chunk_encoder.h), which schema 4 readers cannot decode — so they must refuse these files.
    {R"sql(
CREATE TABLE series_v5(
    id INTEGER PRIMARY KEY,
    metric BLOB NOT NULL,
    labels BLOB NOT NULL);
INSERT INTO series_v5(id, metric, labels) SELECT id, metric, labels FROM series ORDER BY id;
DROP TABLE series;
ALTER TABLE series_v5 RENAME TO series;
PRAGMA user_version = 5;
)sql",
     nullptr},
    // 6: series whose data retention has deleted are pruned from the catalogue (StoreWriter::pruneSeries).
    // `generation` tells readers to drop what they cached; `next_series_id` keeps a pruned id from
    // being given to another series after a restart.
    {R"sql(
CREATE TABLE catalogue(generation INTEGER NOT NULL, next_series_id INTEGER NOT NULL);
INSERT INTO catalogue(generation, next_series_id) SELECT 0, coalesce(max(id), 0) + 1 FROM series;
PRAGMA user_version = 6;
)sql",
     nullptr},
    // 7: log records (log_table_writer.h). `raw` is the line byte-exact (a BLOB: invalid UTF-8 and NUL
    // bytes survive); `fields` is encodeLogFields(); `flags` holds truncated/malformed/timeReplaced.
    // log_text indexes `raw` by trigrams (case-insensitive substring search, as people grep logs),
    // kept in step by triggers. detail='none' keeps no positions: the index is a third of
    // detail='full' (about the lines' own size instead of three times it, measured on the soak's
    // logs); a search asks for rows holding every trigram of the text, and the reader checks the
    // substring itself. log_position is where each tailed file stands, written in the same
    // transaction as the records it produced. log_stats holds the records' stored bytes (for
    // `logs.max_size`), kept by the writer in the transactions that insert and delete them.
    {R"sql(
CREATE TABLE log_record(
    id INTEGER PRIMARY KEY,
    time_ms INTEGER NOT NULL,
    target TEXT NOT NULL,
    file TEXT NOT NULL,
    offset INTEGER NOT NULL,
    level INTEGER NOT NULL,
    flags INTEGER NOT NULL,
    message BLOB NOT NULL,
    fields BLOB NOT NULL,
    raw BLOB NOT NULL);
CREATE INDEX log_by_time ON log_record(time_ms);
CREATE INDEX log_by_target ON log_record(target, time_ms);
CREATE VIRTUAL TABLE log_text USING fts5(raw, content='log_record', content_rowid='id', tokenize='trigram',
    detail='none');
CREATE TRIGGER log_record_indexed AFTER INSERT ON log_record BEGIN
    INSERT INTO log_text(rowid, raw) VALUES (new.id, new.raw);
END;
CREATE TRIGGER log_record_unindexed AFTER DELETE ON log_record BEGIN
    INSERT INTO log_text(log_text, rowid, raw) VALUES ('delete', old.id, old.raw);
END;
CREATE TABLE log_position(
    target TEXT NOT NULL,
    path TEXT NOT NULL,
    device INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    first_line_hash INTEGER NOT NULL,
    first_line_length INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    PRIMARY KEY(target, path)) WITHOUT ROWID;
CREATE TABLE log_stats(bytes INTEGER NOT NULL);
INSERT INTO log_stats(bytes) VALUES (0);
PRAGMA user_version = 7;
)sql",
     nullptr},
    // 8: the full-text index by blocks of lines: one FTS5 document per block of up to 64 consecutive
    // records, a few times cheaper to write than one per line. The index is contentless (the lines
    // are in log_record). Its data step, which indexed the records already there, is schema 11's now.
    {R"sql(
DROP TRIGGER log_record_indexed;
DROP TRIGGER log_record_unindexed;
DROP TABLE log_text;
CREATE TABLE log_block(
    id INTEGER PRIMARY KEY,
    first_id INTEGER NOT NULL,
    last_id INTEGER NOT NULL,
    min_time_ms INTEGER NOT NULL,
    max_time_ms INTEGER NOT NULL);
CREATE INDEX log_block_by_max ON log_block(max_time_ms);
CREATE INDEX log_block_by_min ON log_block(min_time_ms);
CREATE VIRTUAL TABLE log_text USING fts5(raw, content='', tokenize='trigram', detail='none');
PRAGMA user_version = 8;
)sql",
     nullptr},
    // 9: the index holds each block's distinct words, not its lines (LogBlockStore::blockText): a
    // sixth of the text to tokenize. Schema 8's documents cannot be deleted with the new text, so the
    // index and its blocks are built again (by schema 11's data step now).
    {R"sql(
DROP TABLE log_text;
DELETE FROM log_block;
CREATE VIRTUAL TABLE log_text USING fts5(raw, content='', tokenize='trigram', detail='none');
PRAGMA user_version = 9;
)sql",
     nullptr},
    // 10: log_by_target goes. No query used it (the reader's pages walk log_by_time and test the
    // target of each row), and it cost every stored line a third B-tree insert.
    {R"sql(
DROP INDEX IF EXISTS log_by_target;
PRAGMA user_version = 10;
)sql",
     nullptr},
    // 11: log records are stored by blocks (log_block_store.h): a block's up to 64 records compressed
    // in one row of log_block_data (LogBlockCodec) beside its log_block row and index document, instead of a row a record (526 stored
    // bytes for a 161-byte nginx line, and most of the writer's time). `levels` has a bit a level
    // present; `bytes` is what the block counts towards logs.max_size. Ids are never reused
    // (AUTOINCREMENT): the index entry of a block retention had to delete undecoded (damaged) stays
    // and must not name a later block. The data step moves the rows of log_record into blocks,
    // indexes them and drops the table.
    {R"sql(
DROP TABLE log_text;
DROP TABLE log_block;
CREATE TABLE log_block(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    min_time_ms INTEGER NOT NULL,
    max_time_ms INTEGER NOT NULL,
    count INTEGER NOT NULL,
    levels INTEGER NOT NULL,
    bytes INTEGER NOT NULL);
CREATE TABLE log_block_data(id INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE INDEX log_block_by_max ON log_block(max_time_ms);
CREATE INDEX log_block_by_min ON log_block(min_time_ms);
CREATE VIRTUAL TABLE log_text USING fts5(raw, content='', tokenize='trigram', detail='none');
PRAGMA user_version = 11;
)sql",
     &LogBlockStore::moveRecords},
};

static_assert(std::size(kMigrations) == StoreSchema::kSchemaVersion);

std::string untouched(const std::string &path, const std::string &why)
{
    return "'" + path + "' " + why + "; the file was left untouched";
}

std::int64_t wallClockMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

Result<void> StoreSchema::checkFileHeader(const std::string &path)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return fail(untouched(path, "is a directory; storage.path must name a file"));
    const auto size = std::filesystem::file_size(path, ec);
    if (ec || size == 0)
        return {}; // new or empty: SQLite creates it
    std::ifstream in(path, std::ios::binary);
    char header[16] = {};
    in.read(header, sizeof header);
    if (in.gcount() != sizeof header || std::memcmp(header, "SQLite format 3", 16) != 0)
        return fail(untouched(path, "is not a Pulseboard history database (not an SQLite file)"));
    return {};
}

Result<int> StoreSchema::checkOwnership(SqliteDb &db, const std::string &path)
{
    auto appId = db.prepare("PRAGMA application_id");
    if (!appId)
        return fail(untouched(path, "is corrupt or not a database (" + appId.error().message + ")"));
    auto row = appId->step();
    if (!row || !*row)
        return fail(untouched(path, "is corrupt or not a database (" +
                                        (row ? std::string("no application_id") : row.error().message) + ")"));
    const std::int64_t id = appId->columnInt(0);
    if (id == 0) {
        auto objects = db.prepare("SELECT count(*) FROM sqlite_schema");
        if (!objects)
            return fail(untouched(path, "is corrupt (" + objects.error().message + ")"));
        auto r = objects->step();
        if (!r || !*r)
            return fail(untouched(path, "is corrupt (" + (r ? std::string("no schema") : r.error().message) + ")"));
        if (objects->columnInt(0) != 0)
            return fail(untouched(path, "is an SQLite database of another application"));
        return 0;
    }
    if (id != kApplicationId)
        return fail(untouched(path, "is an SQLite database of another application (application_id " +
                                        std::to_string(id) + ")"));
    auto version = db.prepare("PRAGMA user_version");
    if (!version)
        return fail(untouched(path, "is corrupt (" + version.error().message + ")"));
    auto r = version->step();
    if (!r || !*r)
        return fail(untouched(path, "is corrupt (no user_version)"));
    const auto v = static_cast<int>(version->columnInt(0));
    if (v > kSchemaVersion)
        return fail(untouched(path, "was written by a newer Pulseboard (schema " + std::to_string(v) +
                                        ", this build knows up to " + std::to_string(kSchemaVersion) + ")"));
    return v;
}

Result<void> StoreSchema::migrate(SqliteDb &db, int fromVersion)
{
    for (int v = fromVersion + 1; v <= kSchemaVersion; ++v) {
        if (auto r = db.exec("BEGIN IMMEDIATE"); !r)
            return fail("cannot start migration to schema " + std::to_string(v) + ": " + r.error().message);
        auto step = [&]() -> Result<void> {
            const Migration &m = kMigrations[v - 1];
            if (auto r = db.exec(m.sql); !r)
                return r;
            if (m.data) {
                if (auto r = m.data(db); !r)
                    return r;
            }
            auto record = db.prepare("INSERT INTO schema_version(version, applied_ms) VALUES (?1, ?2)");
            if (!record)
                return std::unexpected(record.error());
            record->bind(1, std::int64_t{v}).bind(2, wallClockMs());
            return record->run();
        }();
        if (!step) {
            (void)db.exec("ROLLBACK");
            return fail("migration to schema " + std::to_string(v) + " failed: " + step.error().message);
        }
        if (auto r = db.exec("COMMIT"); !r) {
            (void)db.exec("ROLLBACK");
            return fail("migration to schema " + std::to_string(v) + " failed: " + r.error().message);
        }
    }
    return {};
}

Result<SqliteDb> StoreSchema::openForWrite(const std::string &path)
{
    if (auto ok = checkFileHeader(path); !ok)
        return std::unexpected(ok.error());
    auto db = SqliteDb::open(path, SqliteDb::Mode::ReadWrite);
    if (!db)
        return std::unexpected(db.error());
    auto version = checkOwnership(*db, path);
    if (!version)
        return std::unexpected(version.error());
    // Only now is the file known to be ours (invariant 1): switching to WAL writes to it. A new file
    // gets 4 KiB pages (set explicitly: the default depends on how SQLite was built). Measured with
    // storage_bench: 16 KiB pages cost a young file 17 % (node_exporter shape, 6 h: 1.87 -> 1.59
    // B/sample: every table and index starts with a page, and half-full pages are the norm while it
    // is small) and gained nothing later (48 h: 1.30 either way; 1 s dense series with 1-minute
    // rollup chunks of ~2 KB: 1.94 either way).
    if (*version == 0) {
        if (auto r = db->exec("PRAGMA page_size = 4096"); !r)
            return fail("cannot set the page size of '" + path + "': " + r.error().message);
        // Pages freed by retention can then be given back in slices (StoreWriter::releaseFreePages)
        // instead of the file only ever growing; it must be chosen before the first table exists.
        if (auto r = db->exec("PRAGMA auto_vacuum = INCREMENTAL"); !r)
            return fail("cannot set auto_vacuum on '" + path + "': " + r.error().message);
    }
    if (auto r = db->exec("PRAGMA journal_mode = WAL"); !r)
        return fail("cannot enable WAL on '" + path + "': " + r.error().message);
    if (auto r = db->exec("PRAGMA synchronous = NORMAL"); !r)
        return fail("cannot set synchronous=NORMAL on '" + path + "': " + r.error().message);
    // After a checkpoint has emptied it, the WAL file is cut back to 64 MiB rather than keeping the
    // largest size a burst (a long import, a slow reader) ever made it.
    if (auto r = db->exec("PRAGMA journal_size_limit = 67108864"); !r)
        return fail("cannot set journal_size_limit on '" + path + "': " + r.error().message);
    if (auto r = migrate(*db, *version); !r)
        return std::unexpected(r.error());
    return std::move(*db);
}

Result<SqliteDb> StoreSchema::openForRead(const std::string &path)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return fail("'" + path + "' does not exist");
    if (auto ok = checkFileHeader(path); !ok)
        return std::unexpected(ok.error());
    auto db = SqliteDb::open(path, SqliteDb::Mode::ReadOnly);
    if (!db)
        return std::unexpected(db.error());
    auto version = checkOwnership(*db, path);
    if (!version)
        return std::unexpected(version.error());
    if (*version == 0)
        return fail("'" + path + "' holds no history yet");
    if (*version < kSchemaVersion)
        return fail("'" + path + "' has schema " + std::to_string(*version) +
                    "; open it once for writing (pulsectl import or the app) to migrate it");
    return std::move(*db);
}

} // namespace pulse::storage
