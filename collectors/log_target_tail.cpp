// LogTargetTail: glob expansion, files known by inode, and one poll over a target's files.
#include "collectors/log_target_tail.h"

#include <glob.h>
#include <sys/stat.h>

#include <algorithm>

namespace pulse {
namespace {

std::optional<std::pair<std::uint64_t, std::uint64_t>> regularFileId(const std::string &path)
{
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode))
        return std::nullopt;
    return std::pair{std::uint64_t(info.st_dev), std::uint64_t(info.st_ino)};
}

std::vector<std::string> expandGlob(const std::string &pattern)
{
    std::vector<std::string> out;
    glob_t matches{};
    if (::glob(pattern.c_str(), GLOB_NOSORT, nullptr, &matches) == 0) {
        for (std::size_t i = 0; i < matches.gl_pathc; ++i)
            out.emplace_back(matches.gl_pathv[i]);
    }
    ::globfree(&matches);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

bool LogTargetTail::isGlob(std::string_view path)
{
    return path.find_first_of("*?[") != std::string_view::npos;
}

LogTargetTail::LogTargetTail(std::string target, const LogOptions &options, const Clock &clock,
                             const std::vector<LogCheckpoint> &saved)
    : m_target(std::move(target)), m_options(options),
      m_parser(LogLineParser::create(options.format, options.pattern).value_or(LogLineParser(options.format))),
      m_clock(clock), m_glob(isGlob(options.path))
{
    for (const LogCheckpoint &c : saved) {
        if (c.target != m_target)
            continue;
        m_saved.push_back(c);
        if (m_glob)
            m_known[{c.position.device, c.position.inode}] = c.position;
    }
    if (!m_glob)
        follow(m_options.path, true, std::nullopt);
}

LogTailerOptions LogTargetTail::tailerOptions(const std::string &path, bool startAtEnd) const
{
    LogTailerOptions o;
    o.path = path;
    o.target = m_target;
    o.parser = m_parser;
    o.multiline.enabled = m_options.multiline;
    o.multiline.startPattern = m_options.startPattern;
    o.startAtEnd = startAtEnd;
    o.reopenAfterRotation = !m_glob;
    return o;
}

bool LogTargetTail::heldOpen(FileId id) const
{
    // Open under another name, or about to be (a symlink and its target, hard links, both matched).
    return std::any_of(m_files.begin(), m_files.end(), [&](const File &f) {
        const TailPosition p = f.tailer->position();
        const bool open = f.tailer->state() != TailState::Waiting && p.device == id.first && p.inode == id.second;
        return open || (f.tailer->state() == TailState::Waiting && f.id == id);
    });
}

void LogTargetTail::follow(const std::string &path, bool firstScan, std::optional<FileId> id)
{
    std::optional<TailPosition> resume;
    std::optional<TailPosition> sent;
    for (const LogCheckpoint &c : m_saved) {
        if (c.path == path)
            resume = sent = c.position;
    }
    // A name read before that now holds another file was rotated while the app was closed: its new
    // file is read from its start, whatever start_at says.
    const bool readBefore = resume.has_value();
    FileId fileId{};
    if (m_glob) {
        if (!id || heldOpen(*id))
            return; // a directory, gone again, or still being read under its old name
        fileId = *id;
        if (!resume || resume->device != id->first || resume->inode != id->second) {
            const auto known = m_known.find(*id);
            resume = known == m_known.end() ? std::nullopt : std::optional(known->second);
        }
    }
    const bool startAtEnd = firstScan && !m_options.startAtBeginning && !readBefore;
    File file{path, std::make_unique<LogTailer>(tailerOptions(path, startAtEnd), m_clock, resume), sent, fileId};
    m_files.push_back(std::move(file));
}

void LogTargetTail::scan()
{
    std::vector<std::string> paths = expandGlob(m_options.path);
    m_overflow = paths.size() > kMaxFiles ? paths.size() - kMaxFiles : 0;
    paths.resize(std::min(paths.size(), kMaxFiles));
    std::vector<FileId> present;
    for (const std::string &path : paths) {
        const auto id = regularFileId(path);
        if (id)
            present.push_back(*id);
        const bool followed =
            std::any_of(m_files.begin(), m_files.end(), [&](const File &f) { return f.path == path; });
        if (!followed && m_files.size() < kMaxFiles)
            follow(path, !m_scanned, id);
    }
    m_scanned = true;
    forgetGone(present);
}

void LogTargetTail::forgetGone(const std::vector<FileId> &present)
{
    for (auto it = m_known.begin(); it != m_known.end();) {
        const bool keep = std::find(present.begin(), present.end(), it->first) != present.end() || heldOpen(it->first);
        it = keep ? std::next(it) : m_known.erase(it);
    }
}

LogTargetTail::PollResult LogTargetTail::poll(bool rescan)
{
    PollResult result;
    const std::int64_t now = m_clock.nowMs();
    if (m_glob && (rescan || !m_scanned || now >= m_nextScanMs)) {
        scan();
        m_nextScanMs = now + kRescanMs;
    }
    std::vector<std::string> errors;
    std::size_t readable = 0;
    bool rotated = false;
    for (auto it = m_files.begin(); it != m_files.end();) {
        LogTailer &tailer = *it->tailer;
        auto records = tailer.poll();
        if (!records && m_glob && tailer.errorKind() == TailErrorKind::NotFound) {
            it = m_files.erase(it); // matched once, gone now (and drained): nothing to report
            continue;
        }
        if (records) {
            ++readable;
            auto &out = result.batch.records;
            out.insert(out.end(), std::make_move_iterator(records->begin()), std::make_move_iterator(records->end()));
        } else {
            errors.push_back(records.error().message);
        }
        const TailPosition position = tailer.position();
        if (position != it->sentPosition && (position.device != 0 || position.inode != 0)) {
            result.batch.checkpoints.push_back(LogCheckpoint{m_target, it->path, position});
            it->sentPosition = position;
        }
        if (m_glob && position.inode != 0)
            m_known[{position.device, position.inode}] = position;
        result.hasMore = result.hasMore || tailer.hasMore();
        if (const auto drained = tailer.lastDrained(); m_glob && drained) {
            // Its file was renamed away (or deleted) and read to its end: the glob finds it again
            // under its new name, at this position, and the new file under the old name.
            m_known[{drained->device, drained->inode}] = *drained;
            it = m_files.erase(it);
            rotated = true;
            continue;
        }
        ++it;
    }
    if (rotated) {
        scan(); // at once: the files that took the old names are read in this poll's next turn
        m_nextScanMs = now + kRescanMs;
        result.hasMore = true;
    }
    if (!errors.empty()) {
        result.error = errors.front();
        if (errors.size() > 1)
            result.error += " (and " + std::to_string(errors.size() - 1) + " more files)";
        result.degraded = m_glob && readable > 0;
    } else if (m_glob && m_files.empty()) {
        result.error = m_options.path + ": no file matches (waiting for one to appear)";
    } else if (m_overflow > 0) {
        result.error = m_options.path + ": matches " + std::to_string(m_overflow + kMaxFiles) +
                       " files; following the first " + std::to_string(kMaxFiles);
        result.degraded = true;
    }
    return result;
}

std::vector<std::string> LogTargetTail::paths() const
{
    std::vector<std::string> out;
    out.reserve(m_files.size());
    for (const File &f : m_files)
        out.push_back(f.path);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace pulse
