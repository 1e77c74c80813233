// sqlScalar: one integer read from a history file with its own connection, for storage tests that
// check what landed on disk.
#pragma once

#include "storage/sqlite_db.h"

#include <QtGlobal>

#include <cstdint>
#include <string>

namespace pulse::storage::test {

/// sqlScalar runs `sql` on the file at `path` and returns the first column of its first row, -1 when
/// there is none; a file or statement that fails stops the test.
inline std::int64_t sqlScalar(const std::string &path, SqlText sql)
{
    auto db = SqliteDb::open(path);
    if (!db)
        qFatal("%s", db.error().message.c_str());
    auto s = db->prepare(sql);
    if (!s)
        qFatal("%s", s.error().message.c_str());
    auto row = s->step();
    return row && *row ? s->columnInt(0) : -1;
}

} // namespace pulse::storage::test
