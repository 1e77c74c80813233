// SqliteDb and Statement: a small RAII wrapper over the SQLite C API. SQL text is always a literal
// constant in the caller; every value goes through bind().
#pragma once

#include "core/base/error.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

struct sqlite3;
struct sqlite3_stmt;

namespace pulse {

class SqliteDb;

/// SqlText is SQL written as a literal in the source. Its only constructor is consteval and takes a
/// character array, so text built at run time — and with it any value spliced into SQL — cannot
/// become one: values go through Statement::bind. (tst_sql_literals checks that nothing else reaches
/// sqlite3_prepare or sqlite3_exec.)
class SqlText {
public:
    template <std::size_t N>
    consteval SqlText(const char (&text)[N]) : m_text(text) // NOLINT(google-explicit-constructor): literals convert
    {
    }
    const char *c_str() const { return m_text; }

private:
    const char *m_text;
};

/// Statement is one prepared statement. Bind positions are 1-based, as in SQLite.
class Statement {
public:
    Statement() = default;
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    ~Statement();

    Statement &bind(int index, std::int64_t value);
    Statement &bind(int index, double value);
    /// bind copies the bytes exactly (embedded NULs and invalid UTF-8 included) as TEXT.
    Statement &bind(int index, std::string_view text);
    Statement &bindBlob(int index, std::string_view bytes);
    Statement &bindNull(int index);

    /// step returns true while a row is available, false when done.
    Result<bool> step();
    /// run steps to completion, for statements without result rows.
    Result<void> run();
    /// forEachRow steps through every row and calls onRow() for each (it reads the columns). onRow
    /// returns void, or a Result<void> whose error stops the walk and is returned.
    template <class OnRow>
    Result<void> forEachRow(OnRow &&onRow)
    {
        for (;;) {
            auto row = step();
            if (!row)
                return std::unexpected(row.error());
            if (!*row)
                return {};
            if constexpr (std::is_void_v<std::invoke_result_t<OnRow &>>) {
                onRow();
            } else if (auto r = onRow(); !r) {
                return r;
            }
        }
    }
    void reset();

    std::int64_t columnInt(int column) const;
    double columnDouble(int column) const;
    /// columnText returns the column's exact bytes; valid until the next step/reset.
    std::string_view columnText(int column) const;
    bool columnIsNull(int column) const;

private:
    friend class SqliteDb;
    Statement(sqlite3_stmt *stmt, sqlite3 *db) : m_stmt(stmt), m_db(db) {}
    sqlite3_stmt *m_stmt = nullptr;
    sqlite3 *m_db = nullptr;
    std::string m_bindError;
};

/// SqliteDb owns one connection. Not thread-safe: one thread uses a connection at a time.
class SqliteDb {
public:
    enum class Mode { ReadWrite, ReadOnly };

    /// open opens (and in ReadWrite mode creates) the database at `path`.
    static Result<SqliteDb> open(const std::string &path, Mode mode = Mode::ReadWrite);

    SqliteDb(SqliteDb &&other) noexcept;
    SqliteDb &operator=(SqliteDb &&other) noexcept;
    SqliteDb(const SqliteDb &) = delete;
    SqliteDb &operator=(const SqliteDb &) = delete;
    ~SqliteDb();

    /// prepare compiles a statement; values go through Statement::bind.
    Result<Statement> prepare(SqlText sql);
    /// exec runs SQL without parameters (schema, pragmas, BEGIN/COMMIT).
    Result<void> exec(SqlText sql);

    std::int64_t lastInsertRowId() const;
    /// changes is how many rows the last INSERT, UPDATE or DELETE touched.
    int changes() const;

private:
    explicit SqliteDb(sqlite3 *db) : m_db(db) {}
    sqlite3 *m_db = nullptr;
};

} // namespace pulse
