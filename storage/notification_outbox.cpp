// NotificationOutbox: the outbox table and its statements (see notification_outbox.h).
#include "storage/notification_outbox.h"

#include <algorithm>

namespace pulse::storage {

Result<NotificationOutbox> NotificationOutbox::open(const std::string &path, std::int64_t maxRows)
{
    auto db = SqliteDb::open(path);
    if (!db)
        return std::unexpected(db.error());
    if (auto r = db->exec("PRAGMA journal_mode = WAL"); !r)
        return fail("cannot enable WAL on '" + path + "': " + r.error().message);
    // FULL: a notification is on disk when enqueue returns, whatever happens next.
    if (auto r = db->exec("PRAGMA synchronous = FULL"); !r)
        return fail("cannot set synchronous on '" + path + "': " + r.error().message);
    if (auto r = db->exec("CREATE TABLE IF NOT EXISTS outbox("
                          "id INTEGER PRIMARY KEY AUTOINCREMENT, receiver TEXT NOT NULL, body BLOB NOT NULL, "
                          "created_ms INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, "
                          "next_attempt_ms INTEGER NOT NULL, last_error TEXT NOT NULL DEFAULT '');"
                          "CREATE INDEX IF NOT EXISTS outbox_by_receiver ON outbox(receiver, id);"
                          "CREATE TABLE IF NOT EXISTS notify_log(receiver TEXT NOT NULL, group_key TEXT NOT NULL, "
                          "entry BLOB NOT NULL, PRIMARY KEY(receiver, group_key)) WITHOUT ROWID;");
        !r)
        return fail("cannot create the outbox in '" + path + "': " + r.error().message);
    return NotificationOutbox(std::move(*db), std::max<std::int64_t>(maxRows, 1));
}

Result<void> NotificationOutbox::enqueue(const std::string &receiver, const std::string &body, std::int64_t nowMs)
{
    auto insert =
        m_db.prepare("INSERT INTO outbox(receiver, body, created_ms, next_attempt_ms) VALUES (?1, ?2, ?3, ?3)");
    if (!insert)
        return std::unexpected(insert.error());
    insert->bind(1, std::string_view(receiver)).bindBlob(2, body).bind(3, nowMs);
    if (auto r = insert->run(); !r)
        return fail("cannot queue a notification: " + r.error().message);
    // Bounded: past maxRows the oldest go (a receiver gone for good must not fill the disk).
    auto trim = m_db.prepare("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox ORDER BY id "
                             "LIMIT max((SELECT count(*) FROM outbox) - ?1, 0))");
    if (!trim)
        return std::unexpected(trim.error());
    trim->bind(1, m_maxRows);
    if (auto r = trim->run(); !r)
        return fail("cannot trim the outbox: " + r.error().message);
    m_dropped += std::uint64_t(std::max(m_db.changes(), 0));
    return {};
}

Result<std::optional<NotificationOutbox::Pending>> NotificationOutbox::next(const std::string &receiver,
                                                                            std::int64_t nowMs)
{
    auto select = m_db.prepare("SELECT id, receiver, body, created_ms, attempts, next_attempt_ms FROM outbox "
                               "WHERE receiver = ?1 ORDER BY id LIMIT 1");
    if (!select)
        return std::unexpected(select.error());
    select->bind(1, std::string_view(receiver));
    auto row = select->step();
    if (!row)
        return std::unexpected(row.error());
    if (!*row || select->columnInt(5) > nowMs)
        return std::optional<Pending>{};
    return std::optional<Pending>(Pending{select->columnInt(0), std::string(select->columnText(1)),
                                          std::string(select->columnText(2)), select->columnInt(3),
                                          select->columnInt(4), select->columnInt(5)});
}

Result<void> NotificationOutbox::delivered(std::int64_t id)
{
    auto remove = m_db.prepare("DELETE FROM outbox WHERE id = ?1");
    if (!remove)
        return std::unexpected(remove.error());
    remove->bind(1, id);
    return remove->run();
}

std::int64_t NotificationOutbox::backoffMs(std::int64_t attempts)
{
    const std::int64_t shift = std::clamp<std::int64_t>(attempts - 1, 0, 5);
    return std::min<std::int64_t>(std::int64_t{1000} << shift, 30'000);
}

Result<void> NotificationOutbox::failed(const Pending &pending, std::int64_t nowMs, const std::string &error)
{
    auto update = m_db.prepare("UPDATE outbox SET attempts = ?2, last_error = ?3, next_attempt_ms = ?4 WHERE id = ?1");
    if (!update)
        return std::unexpected(update.error());
    const std::int64_t attempts = pending.attempts + 1;
    update->bind(1, pending.id).bind(2, attempts).bind(3, std::string_view(error)).bind(4, nowMs + backoffMs(attempts));
    return update->run();
}

Result<std::int64_t> NotificationOutbox::waiting(const std::string &receiver)
{
    auto count = m_db.prepare("SELECT count(*) FROM outbox WHERE ?1 = '' OR receiver = ?1");
    if (!count)
        return std::unexpected(count.error());
    count->bind(1, std::string_view(receiver));
    auto row = count->step();
    if (!row)
        return std::unexpected(row.error());
    return *row ? count->columnInt(0) : 0;
}

Result<std::vector<std::string>> NotificationOutbox::receivers()
{
    auto select = m_db.prepare("SELECT DISTINCT receiver FROM outbox ORDER BY receiver");
    if (!select)
        return std::unexpected(select.error());
    std::vector<std::string> out;
    auto walked = select->forEachRow([&] { out.emplace_back(select->columnText(0)); });
    if (!walked)
        return std::unexpected(walked.error());
    return out;
}

Result<void> NotificationOutbox::saveLog(const std::string &receiver, const std::string &groupKey,
                                        const std::string &blob)
{
    auto upsert = m_db.prepare("INSERT OR REPLACE INTO notify_log(receiver, group_key, entry) VALUES (?1, ?2, ?3)");
    if (!upsert)
        return std::unexpected(upsert.error());
    upsert->bind(1, std::string_view(receiver)).bind(2, std::string_view(groupKey)).bindBlob(3, blob);
    return upsert->run();
}

Result<void> NotificationOutbox::removeLog(const std::string &receiver, const std::string &groupKey)
{
    auto remove = m_db.prepare("DELETE FROM notify_log WHERE receiver = ?1 AND group_key = ?2");
    if (!remove)
        return std::unexpected(remove.error());
    remove->bind(1, std::string_view(receiver)).bind(2, std::string_view(groupKey));
    return remove->run();
}

Result<std::vector<std::pair<std::string, std::string>>> NotificationOutbox::loadLog(const std::string &receiver)
{
    auto select = m_db.prepare("SELECT group_key, entry FROM notify_log WHERE receiver = ?1 ORDER BY group_key");
    if (!select)
        return std::unexpected(select.error());
    select->bind(1, std::string_view(receiver));
    std::vector<std::pair<std::string, std::string>> out;
    auto walked = select->forEachRow(
        [&] { out.emplace_back(std::string(select->columnText(0)), std::string(select->columnText(1))); });
    if (!walked)
        return std::unexpected(walked.error());
    return out;
}

} // namespace pulse::storage
