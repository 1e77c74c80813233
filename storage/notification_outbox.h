// NotificationOutbox: notifications waiting to be delivered, in a small SQLite file of their own
// beside the history (notifications.db), so a receiver that is down for ten minutes, or a Pulseboard
// that restarts meanwhile, still delivers every notification afterwards, in order.
//
//   enqueue ──> waiting (per receiver, oldest first) ──delivered──> removed
//                  │  └──failed──> waiting again after a backoff (1 s, 2 s, 4 s … 30 s)
//                  └── more than maxRows waiting: the oldest go, counted in dropped()
//
// Delivery is at least once: a notification in flight when the process stops is sent again at the
// next start. Why not the history file: its connection belongs to the writer thread, and a
// notification must be durable the moment it is queued, not at the writer's next commit.
//
// Not thread-safe: one thread (the query thread) uses an outbox.
#pragma once

#include "core/base/error.h"
#include "storage/sqlite_db.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pulse::storage {

class NotificationOutbox {
public:
    /// Pending is one waiting notification.
    struct Pending {
        std::int64_t id = 0;
        std::string receiver;
        std::string body;
        std::int64_t createdMs = 0;
        std::int64_t attempts = 0;
        std::int64_t nextAttemptMs = 0;
    };

    /// open opens or creates the outbox at path; maxRows bounds what waits (over all receivers).
    static Result<NotificationOutbox> open(const std::string &path, std::int64_t maxRows = 10'000);

    /// enqueue adds a notification for receiver (durable on return), due at once.
    Result<void> enqueue(const std::string &receiver, const std::string &body, std::int64_t nowMs);
    /// next is receiver's oldest waiting notification, if it is due by nowMs (an older one that is
    /// not due yet holds the newer ones back: order is kept).
    Result<std::optional<Pending>> next(const std::string &receiver, std::int64_t nowMs);
    /// delivered removes a notification.
    Result<void> delivered(std::int64_t id);
    /// failed counts an attempt of pending and sets the next one after backoffMs; error is kept.
    Result<void> failed(const Pending &pending, std::int64_t nowMs, const std::string &error);
    /// waiting is how many notifications wait for receiver ("" for all).
    Result<std::int64_t> waiting(const std::string &receiver);
    /// receivers are the receivers that have notifications waiting (some may be gone from the config).
    Result<std::vector<std::string>> receivers();
    /// saveLog keeps what was last notified for a receiver's group (an opaque blob: the service's
    /// notification log entry), replacing the one before; removeLog forgets it; loadLog reads a
    /// receiver's (group key, blob) pairs.
    Result<void> saveLog(const std::string &receiver, const std::string &groupKey, const std::string &blob);
    Result<void> removeLog(const std::string &receiver, const std::string &groupKey);
    Result<std::vector<std::pair<std::string, std::string>>> loadLog(const std::string &receiver);
    /// dropped counts notifications removed unsent because the outbox was full (this process).
    std::uint64_t dropped() const { return m_dropped; }

    /// backoffMs is the wait after the n-th failed attempt (n >= 1).
    static std::int64_t backoffMs(std::int64_t attempts);

private:
    NotificationOutbox(SqliteDb db, std::int64_t maxRows) : m_db(std::move(db)), m_maxRows(maxRows) {}

    SqliteDb m_db;
    std::int64_t m_maxRows;
    std::uint64_t m_dropped = 0;
};

} // namespace pulse::storage
