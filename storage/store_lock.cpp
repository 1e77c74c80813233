// The history file's writer lock (see store_lock.h).
#include "storage/store_lock.h"

#include "storage/store_schema.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace pulse::storage {

namespace {

/// holderPid reads the pid the holder wrote; empty when it cannot be read (it may be writing it now).
std::string holderPid(int fd)
{
    char buf[32] = {};
    const ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    std::string pid;
    for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i)
        pid += buf[i];
    return pid;
}

} // namespace

std::string StoreLock::lockPathFor(const std::string &dbPath)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path path(dbPath);
    // A symlink whose target does not exist yet: weakly_canonical would stop at the link, and once
    // SQLite creates the target another process would resolve the same file to another lock name.
    for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(path, ec)); ++hops) {
        const fs::path target = fs::read_symlink(path, ec);
        if (ec)
            break;
        path = target.is_absolute() ? target : path.parent_path() / target;
    }
    const fs::path resolved = fs::weakly_canonical(path, ec);
    return (ec ? path.string() : resolved.string()) + ".lock";
}

Result<StoreLock> StoreLock::acquire(const std::string &dbPath)
{
    // A file that is not a history database (or a directory) gets no lock file beside it.
    if (auto r = StoreSchema::checkFileHeader(dbPath); !r)
        return std::unexpected(r.error());
    const std::string path = lockPathFor(dbPath);
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return fail("cannot open the lock file '" + path + "': " + std::strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        const std::string pid = holderPid(fd);
        ::close(fd);
        if (error == EWOULDBLOCK)
            return fail("'" + dbPath + "' is in use by another Pulseboard (pid " + (pid.empty() ? "unknown" : pid) +
                        "); stop it first, or give this one another storage.path");
        return fail("cannot lock '" + path + "': " + std::strerror(error));
    }
    const std::string self = std::to_string(getpid()) + "\n";
    if (ftruncate(fd, 0) != 0 || pwrite(fd, self.data(), self.size(), 0) != static_cast<ssize_t>(self.size())) {
        // The lock holds all the same; only the pid shown to a second writer is missing.
    }
    return StoreLock(fd);
}

StoreLock::StoreLock(StoreLock &&other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}

StoreLock &StoreLock::operator=(StoreLock &&other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

StoreLock::~StoreLock()
{
    if (m_fd >= 0)
        ::close(m_fd); // releases the flock
}

} // namespace pulse::storage
