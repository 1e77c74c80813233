// LogTailer: open, rotation checks and bounded pread() batches for one followed log file.
#include "collectors/log_tailer.h"

#include "core/base/text_encoding.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <string_view>
#include <system_error>

namespace pulse {
namespace {

constexpr std::size_t kReadChunkBytes = std::size_t{64} * 1024;

std::string errnoText(int error)
{
    return std::generic_category().message(error);
}

} // namespace

LogTailer::LogTailer(LogTailerOptions options, const Clock &clock, std::optional<TailPosition> saved)
    : m_options(std::move(options)), m_clock(clock), m_saved(saved), m_lines(m_options.maxLineBytes)
{
    m_readBuffer.resize(kReadChunkBytes);
    if (auto joiner = MultilineJoiner::create(m_options.multiline))
        m_joiner = std::move(*joiner);
}

LogTailer::~LogTailer()
{
    closeFile();
}

std::unexpected<Error> LogTailer::failWith(TailErrorKind kind, std::string message)
{
    m_errorKind = kind;
    return fail(std::move(message));
}

void LogTailer::closeFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

Result<std::vector<LogRecord>> LogTailer::poll()
{
    m_hasMore = false;
    m_errorKind = TailErrorKind::None;
    m_lastDrained.reset();
    std::vector<LogRecord> out;
    if (m_fd < 0) {
        if (auto opened = openCurrent(); !opened)
            return std::unexpected(opened.error());
    }
    if (m_state == TailState::Following)
        checkRotation(out);
    Result<bool> atEnd = readAvailable(out);
    if (m_state == TailState::Draining && atEnd && *atEnd) {
        finishDraining(out);
        // The new file is read in the same poll, so a rotation costs no extra interval.
        if (!m_options.reopenAfterRotation)
            return out;
        if (auto opened = openCurrent(); opened)
            atEnd = readAvailable(out);
        else if (out.empty())
            return std::unexpected(opened.error());
    }
    if (!atEnd && out.empty())
        return std::unexpected(atEnd.error());
    m_hasMore = atEnd && !*atEnd;
    if (atEnd && *atEnd && m_state == TailState::Following) {
        flushStalePartial(out);
        if (std::optional<TailLine> held = m_joiner.flushIfQuiet(m_clock.nowMs()))
            appendRecord(*held, out);
    }
    if (m_state == TailState::Following)
        refreshFingerprint();
    return out;
}

TailPosition LogTailer::position() const
{
    // Lines held for a record of several lines are read but not returned: a restart reads them again.
    const std::uint64_t offset = m_joiner.heldOffset().value_or(m_lines.lineStart());
    return {m_device, m_inode, offset, m_fingerprint.hash, m_fingerprint.length};
}

Result<void> LogTailer::openCurrent()
{
    const int fd = ::open(m_options.path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        const int error = errno;
        if (error == ENOENT || error == ENOTDIR) {
            // A file that appears later is new: everything in it was written after we started
            // looking, so it is read from its start whatever startAtEnd says (tail -F does the same).
            m_seenBefore = true;
            return failWith(TailErrorKind::NotFound, m_options.path + ": no such file (waiting for it to appear)");
        }
        if (error == EACCES || error == EPERM) {
            return failWith(TailErrorKind::PermissionDenied,
                            m_options.path +
                                ": permission denied; the user running pulseboard needs read access "
                                "(for files under /var/log, membership of the group adm usually grants it)");
        }
        return failWith(TailErrorKind::ReadFailed, m_options.path + ": cannot open: " + errnoText(error));
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        return failWith(TailErrorKind::NotRegularFile, m_options.path + ": not a regular file");
    }
    m_fd = fd;
    m_device = std::uint64_t(info.st_dev);
    m_inode = std::uint64_t(info.st_ino);
    m_fingerprint = {};
    m_state = TailState::Following;

    std::uint64_t start = 0;
    const auto size = std::uint64_t(info.st_size);
    if (m_saved) {
        // Resume only in the very file the position was taken in, and only if it did not shrink.
        const TailPosition saved = *m_saved;
        m_fingerprint = {saved.firstLineHash, saved.firstLineLength, false};
        const bool sameFile = saved.device == m_device && saved.inode == m_inode && saved.offset <= size;
        if (sameFile && verifyFingerprint())
            start = saved.offset;
        else
            m_fingerprint = {};
    } else if (!m_seenBefore && m_options.startAtEnd) {
        start = size;
    }
    m_saved.reset();
    m_seenBefore = true;
    m_lines.reset(start);
    refreshFingerprint();
    return {};
}

void LogTailer::checkRotation(std::vector<LogRecord> &out)
{
    struct stat atPath {};
    if (::stat(m_options.path.c_str(), &atPath) != 0) {
        // Another error than "gone" (EACCES on a parent directory, say) says nothing about rotation.
        if (errno == ENOENT || errno == ENOTDIR) {
            m_state = TailState::Draining;
            ++m_rotations;
        }
        return;
    }
    if (std::uint64_t(atPath.st_dev) != m_device || std::uint64_t(atPath.st_ino) != m_inode) {
        m_state = TailState::Draining;
        ++m_rotations;
        return;
    }
    struct stat opened {};
    if (::fstat(m_fd, &opened) != 0)
        return;
    if (std::uint64_t(opened.st_size) < m_lines.nextOffset() || !verifyFingerprint())
        restartAtZero(out);
}

void LogTailer::flushLines(std::vector<LogRecord> &out)
{
    if (std::optional<TailLine> rest = m_lines.flush())
        appendLine(std::move(*rest), out);
    if (std::optional<TailLine> held = m_joiner.flush())
        appendRecord(*held, out);
}

void LogTailer::restartAtZero(std::vector<LogRecord> &out)
{
    flushLines(out);
    m_lines.reset(0);
    m_fingerprint = {};
    ++m_rotations;
    refreshFingerprint();
}

void LogTailer::finishDraining(std::vector<LogRecord> &out)
{
    flushLines(out);
    m_lastDrained = position();
    closeFile();
    m_state = TailState::Waiting;
}

Result<bool> LogTailer::readAvailable(std::vector<LogRecord> &out)
{
    std::size_t budget = m_options.maxBatchBytes;
    std::vector<TailLine> lines;
    while (budget > 0 && out.size() < m_options.maxBatchLines) {
        const std::size_t want = std::min(budget, m_readBuffer.size());
        const ssize_t got = ::pread(m_fd, m_readBuffer.data(), want, off_t(m_lines.nextOffset()));
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return failWith(TailErrorKind::ReadFailed, m_options.path + ": read failed: " + errnoText(errno));
        }
        if (got == 0)
            return true;
        std::string_view chunk(m_readBuffer.data(), std::size_t(got));
        if (const std::size_t skipped = skipNulHole(chunk); skipped > 0) {
            budget -= std::min(budget, skipped);
            continue;
        }
        lines.clear();
        const std::size_t consumed = m_lines.feed(chunk, lines, m_options.maxBatchLines - out.size());
        for (TailLine &line : lines)
            appendLine(std::move(line), out);
        if (consumed < chunk.size())
            return false;
        budget -= consumed;
    }
    return false;
}

std::size_t LogTailer::skipNulHole(std::string_view chunk)
{
    // Only at a line boundary: a NUL inside a line is the line's (stored byte-exact).
    if (chunk.empty() || chunk.front() != '\0' || m_lines.pendingBytes() != 0 ||
        m_lines.lineStart() != m_lines.nextOffset())
        return 0;
    const std::uint64_t from = m_lines.nextOffset();
    // A sparse hole is skipped without reading it; what SEEK_DATA can't see is skipped by scanning.
    const off_t data = ::lseek(m_fd, off_t(from), SEEK_DATA);
    std::uint64_t to = data > off_t(from) ? std::uint64_t(data) : from;
    if (to == from) {
        const std::size_t run = std::min(chunk.find_first_not_of('\0'), chunk.size());
        to = from + run;
    }
    m_skippedNulBytes += to - from;
    m_lines.reset(to);
    return std::size_t(std::min<std::uint64_t>(to - from, std::numeric_limits<std::size_t>::max()));
}

std::optional<std::string> LogTailer::readPrefix(std::uint32_t maxBytes) const
{
    std::string prefix(maxBytes, '\0');
    std::size_t have = 0;
    while (have < prefix.size()) {
        const ssize_t got = ::pread(m_fd, prefix.data() + have, prefix.size() - have, off_t(have));
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return std::nullopt;
        if (got == 0)
            break;
        have += std::size_t(got);
    }
    prefix.resize(have);
    return prefix;
}

bool LogTailer::verifyFingerprint() const
{
    if (m_fingerprint.length == 0)
        return true;
    const std::optional<std::string> prefix = readPrefix(m_fingerprint.length);
    // An unreadable prefix is no evidence of rotation; the size and inode checks still apply.
    if (!prefix)
        return true;
    return prefix->size() == m_fingerprint.length && fnv1a(*prefix) == m_fingerprint.hash;
}

void LogTailer::refreshFingerprint()
{
    if (m_fingerprint.complete || m_fd < 0)
        return;
    std::optional<std::string> prefix = readPrefix(kFingerprintBytes);
    if (!prefix)
        return;
    const std::size_t newline = prefix->find('\n');
    if (newline != std::string::npos)
        prefix->resize(newline + 1);
    m_fingerprint.length = std::uint32_t(prefix->size());
    m_fingerprint.hash = fnv1a(*prefix);
    m_fingerprint.complete = newline != std::string::npos || prefix->size() == kFingerprintBytes;
}

void LogTailer::flushStalePartial(std::vector<LogRecord> &out)
{
    const std::size_t pending = m_lines.pendingBytes();
    const std::int64_t now = m_clock.nowMs();
    if (pending == 0 || pending != m_partialBytes) {
        m_partialBytes = pending; // none, or it grew: the wait starts again
        m_partialSinceMs = pending == 0 ? 0 : now;
        return;
    }
    if (m_options.partialLineFlushMs <= 0 || now - m_partialSinceMs < m_options.partialLineFlushMs)
        return;
    if (auto line = m_lines.flush())
        appendLine(std::move(*line), out);
    m_partialBytes = 0;
    m_partialSinceMs = 0;
}

void LogTailer::appendLine(TailLine line, std::vector<LogRecord> &out)
{
    m_joined.clear(); // kept between lines: no allocation a line
    m_joiner.push(std::move(line), m_clock.nowMs(), m_joined);
    for (TailLine &record : m_joined)
        appendRecord(record, out);
}

void LogTailer::appendRecord(TailLine &line, std::vector<LogRecord> &out)
{
    // The line's bytes move into the record's raw (LogLineContext::ownedLine): m_joined is cleared
    // before the next line anyway.
    const LogLineContext context{m_options.target, m_clock.nowMs(), line.offset, &line.bytes};
    LogRecord record = m_options.parser.parse(line.bytes, context);
    record.file = m_options.path;
    record.truncated = line.truncated;
    if (line.truncated)
        ++m_truncatedLines;
    out.push_back(std::move(record));
}

} // namespace pulse
