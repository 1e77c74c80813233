// StoreSchema: opens a history database, refusing foreign or corrupt files, and brings its schema
// up to date with forward migrations.
//
// Invariants:
//  1. A file is only written after it is known to be ours: empty/new, or an SQLite database whose
//     application_id is kApplicationId. Anything else is left byte-for-byte untouched.
//  2. user_version is the schema version; schema_version records when each migration ran.
//  3. A file from a newer Pulseboard (user_version > kSchemaVersion) is refused, not downgraded.
//  4. Migrations run in one transaction each, oldest first, data steps included.
#pragma once

#include "core/base/error.h"
#include "storage/sqlite_db.h"

#include <cstdint>
#include <string>

namespace pulse::storage {

class StoreSchema {
public:
    /// kApplicationId is "PLSB" (PRAGMA application_id), which tells our files from other SQLite files.
    static constexpr std::int32_t kApplicationId = 0x504c5342;
    static constexpr int kSchemaVersion = 11;

    /// openForWrite opens or creates the database, migrates it, and sets WAL + synchronous=NORMAL.
    static Result<SqliteDb> openForWrite(const std::string &path);
    /// openForRead opens an existing, up-to-date database for queries.
    static Result<SqliteDb> openForRead(const std::string &path);
    /// checkFileHeader refuses a directory or a non-empty file that is not SQLite, writing nothing.
    static Result<void> checkFileHeader(const std::string &path);

private:
    static Result<int> checkOwnership(SqliteDb &db, const std::string &path);
    static Result<void> migrate(SqliteDb &db, int fromVersion);
};

} // namespace pulse::storage
