// LogTargetTail: the files of one `kind: log` target — one path, or every file a glob matches now
// or later — each followed by a LogTailer, polled together.
//
// A glob (`/var/log/app/*.log`) is expanded again at most once a second. A file found at the first
// expansion starts where `start_at` says; one that appears later is new and is read from its start.
// Files are also known by device and inode, so a file renamed to a name the glob matches
// (app.log → app.log.1 under `*.log*`) is not read twice: its new name resumes where its old name
// stopped (and reads what its writer appended after the rotation), and is not picked up at all while
// another of the target's tailers still holds it open. A saved checkpoint resumes its file under any
// name the glob matches, so a rotation while the app was closed loses nothing either. A matched file
// that goes away (and was read to its end) is dropped: it is not an error.
#pragma once

#include "collectors/log_tailer.h"
#include "core/base/clock.h"
#include "core/config/target_config.h"
#include "core/logs/log_batch.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pulse {

/// LogTargetTail polls the files of one log target. Not thread-safe: one owner (a strand) polls it.
class LogTargetTail {
public:
    /// kMaxFiles bounds the files one glob follows; the others are reported, not read.
    static constexpr std::size_t kMaxFiles = 1024;
    /// kRescanMs is how often a glob is expanded again.
    static constexpr std::int64_t kRescanMs = 1000;

    /// saved are the checkpoints stored for this target (others are ignored). clock outlives this.
    LogTargetTail(std::string target, const LogOptions &options, const Clock &clock,
                  const std::vector<LogCheckpoint> &saved = {});

    /// PollResult is one poll of every file: the records and moved checkpoints, and what went wrong.
    struct PollResult {
        LogBatch batch;
        /// error says why a file could not be read (or a glob matched nothing); empty when all is well.
        std::string error;
        /// degraded: some files were read, some not (or a glob matched over kMaxFiles).
        bool degraded = false;
        /// hasMore: a file stopped at its batch bound with more to read.
        bool hasMore = false;
    };
    /// poll reads every file; a glob is expanded again when kRescanMs passed, or at once with
    /// rescan (its directory changed: LogFileWatch).
    PollResult poll(bool rescan = false);

    /// paths are the files followed now, sorted.
    std::vector<std::string> paths() const;

    /// isGlob says whether a path has glob characters (`*`, `?`, `[`).
    static bool isGlob(std::string_view path);

private:
    using FileId = std::pair<std::uint64_t, std::uint64_t>; // device, inode

    struct File {
        std::string path;
        std::unique_ptr<LogTailer> tailer;
        std::optional<TailPosition> sentPosition;
        FileId id{}; // what path named when it was followed (a glob's files)
    };

    void scan();
    // follow starts a tailer for path; a glob's path comes with what it names (nothing: not a
    // regular file, skipped), as scan() found it.
    void follow(const std::string &path, bool firstScan, std::optional<FileId> id);
    LogTailerOptions tailerOptions(const std::string &path, bool startAtEnd) const;
    bool heldOpen(FileId id) const;
    void forgetGone(const std::vector<FileId> &present);

    std::string m_target;
    LogOptions m_options;
    LogLineParser m_parser;
    const Clock &m_clock;
    bool m_glob;
    std::vector<LogCheckpoint> m_saved;
    std::vector<File> m_files;
    /// m_known is where each file of a glob (by device and inode) stands, whatever its name now.
    std::map<FileId, TailPosition> m_known;
    std::int64_t m_nextScanMs = 0;
    bool m_scanned = false;
    std::size_t m_overflow = 0; // files the last expansion matched beyond kMaxFiles
};

} // namespace pulse
