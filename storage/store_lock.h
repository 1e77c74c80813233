// StoreLock: one writer per history file. Two writers on one file would each restore the series
// heads and then overwrite each other's head rows; the second one is refused instead, with the pid of
// the process that holds the file.
//
// The lock is an flock(2) on "<history>.lock" beside the database, holding the holder's pid as text.
// flock belongs to the open file description, so it goes with the process however it ends (SIGKILL
// included) and a stale file never blocks anyone; the file itself is left in place (removing it
// would race with a writer opening it).
#pragma once

#include "core/base/error.h"

#include <string>

namespace pulse::storage {

/// StoreLock is held while it lives. Move-only.
class StoreLock {
public:
    /// acquire takes the lock of the database at dbPath, or fails naming the holder's pid. A path that
    /// is no history database (StoreSchema::checkFileHeader) is refused first, with no lock file made.
    static Result<StoreLock> acquire(const std::string &dbPath);
    /// lockPathFor is the lock file of dbPath: beside the file its path resolves to, so two names of
    /// one file (a symlink, `..`) share one lock. (A hard link is a second name this cannot see.)
    static std::string lockPathFor(const std::string &dbPath);

    StoreLock() = default;
    StoreLock(StoreLock &&other) noexcept;
    StoreLock &operator=(StoreLock &&other) noexcept;
    StoreLock(const StoreLock &) = delete;
    StoreLock &operator=(const StoreLock &) = delete;
    ~StoreLock();

private:
    explicit StoreLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

} // namespace pulse::storage
