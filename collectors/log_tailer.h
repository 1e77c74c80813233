// LogTailer: follows one log file by polling, the way `tail -F` does, and parses what it reads.
//
// Reads use pread(), never mmap: a file truncated under a mapping raises SIGBUS, and log files are
// truncated all the time (copytruncate). A rotation is detected by any of
//   - the path naming another file (dev/inode changed: rename + create),
//   - the file shrinking below the read position (truncation, copytruncate),
//   - the first line's hash changing (the file was truncated and refilled between two polls).
// NUL bytes at a line start are skipped, not read as lines: after copytruncate a writer without
// O_APPEND writes on at its old offset, leaving a hole of zeros before its next line.
//
// States:
//
//                openCurrent()                 checkRotation(): the path is gone or
//   Waiting ───────────────────> Following ───────────────────────────────────> Draining
//    ^  │                          │   ^        names another dev/inode              │
//    │  └─ open fails: stays       └───┘ restartAtZero(): the file shrank below      │
//    │     Waiting, poll() errs          the offset, or its first line changed       │
//    └───────────── finishDraining(): the old descriptor is read to its end ─────────┘
//                   (poll() then tries openCurrent() at once, so the new file is read
//                    from offset 0 in the same poll)
//
// Transitions → functions:
//   Waiting   → Following   openCurrent()    resumes at a saved position only in the same file
//   Following → Following   restartAtZero()  truncation / copytruncate; the partial line is flushed
//   Following → Draining    checkRotation()  rename + create, deletion
//   Draining  → Waiting     finishDraining() the partial line is flushed, the descriptor closed
// readAvailable() reads in Following and Draining, at most one batch per poll().
//
// Known limits: a writer that keeps appending to the renamed file after Draining reached its end
// loses those lines (logrotate's postrotate reload makes that window short); a position saved
// while Draining resumes in the new file at 0; copytruncate refilled past the old offset with an
// identical first line goes unnoticed.
#pragma once

#include "collectors/log_tailer_line_buffer.h"
#include "collectors/multiline_joiner.h"
#include "core/base/clock.h"
#include "core/base/error.h"
#include "core/logs/log_batch.h"
#include "core/logs/log_line_parser.h"
#include "core/logs/log_record.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pulse {

/// LogTailerOptions configures one tailed file.
struct LogTailerOptions {
    std::string path;
    std::string target;
    /// parser is the target's format (and the regex format's pattern).
    LogLineParser parser;
    /// multiline joins continuation lines to their record (collectors/multiline_joiner.h); off by
    /// default here, on by default in the config.
    MultilineOptions multiline;
    /// maxLineBytes cuts longer lines (the record is flagged truncated).
    std::size_t maxLineBytes = std::size_t{64} * 1024;
    /// maxBatchBytes and maxBatchLines bound one poll(); hasMore() says when a poll stopped early.
    std::size_t maxBatchBytes = std::size_t{1024} * 1024;
    std::size_t maxBatchLines = 10'000;
    /// partialLineFlushMs: a last line without its newline that has not grown for this long is
    /// taken as a line of its own (a writer that never ends its last line, or died mid-line); what
    /// is appended to it later starts a new line. 0 waits for the newline for ever.
    std::int64_t partialLineFlushMs = 5000;
    /// startAtEnd makes a file that exists when it is first looked for (and has no saved position)
    /// start at its end, as `tail -f` does, instead of importing its whole history. A file that does
    /// not exist yet is read from its start once it appears: all of it is new.
    bool startAtEnd = false;
    /// reopenAfterRotation: once the renamed or deleted file is drained, open what the path names
    /// now (tail -F). A glob's tailers do not: the glob finds the new file and knows the old one by
    /// its inode under its new name (LogTargetTail).
    bool reopenAfterRotation = true;
};

/// TailState is where the tailer is in the diagram above.
enum class TailState : std::uint8_t { Waiting, Following, Draining };

/// TailErrorKind classifies poll() failures so the app can phrase them (and tests can check them).
enum class TailErrorKind : std::uint8_t { None, NotFound, PermissionDenied, NotRegularFile, ReadFailed };

/// LogTailer polls one file and turns new lines into LogRecords.
/// Not thread-safe: one owner calls poll() periodically, from one thread (or one strand) at a time.
class LogTailer {
public:
    /// kFingerprintBytes bounds the first-line hash.
    static constexpr std::uint32_t kFingerprintBytes = 1024;

    /// LogTailer follows options.path; with a saved position it resumes there if the file is still
    /// the same one (dev/inode and first-line hash match), else it starts at offset 0.
    /// clock stamps lines without a timestamp and must outlive the tailer. An invalid
    /// multiline.startPattern turns multi-line records off (the config loader refuses one first).
    LogTailer(LogTailerOptions options, const Clock &clock, std::optional<TailPosition> saved = std::nullopt);
    ~LogTailer();
    LogTailer(const LogTailer &) = delete;
    LogTailer &operator=(const LogTailer &) = delete;

    /// poll reads what was appended since the last call (at most one batch) and returns it parsed,
    /// oldest first. An error (missing file, permission denied, read failure) is returned only when
    /// nothing could be read; errorKind() classifies it. The next poll retries.
    Result<std::vector<LogRecord>> poll();

    /// position is what to persist: with it a new tailer resumes after the last returned line.
    TailPosition position() const;
    /// lastDrained is where the file the last poll finished draining (after a rotation) was left:
    /// its end. A glob that finds that file under its new name resumes there.
    std::optional<TailPosition> lastDrained() const { return m_lastDrained; }
    TailState state() const { return m_state; }
    TailErrorKind errorKind() const { return m_errorKind; }
    /// hasMore says the last poll stopped at its batch bound with bytes left to read.
    bool hasMore() const { return m_hasMore; }
    /// rotations counts detected rotations and truncations; truncatedLines counts lines cut at
    /// maxLineBytes.
    std::uint64_t rotations() const { return m_rotations; }
    std::uint64_t truncatedLines() const { return m_truncatedLines; }
    /// skippedNulBytes counts NUL bytes skipped at line starts: the hole a writer without O_APPEND
    /// leaves when its file is truncated under it (copytruncate) and it writes on at its old offset.
    std::uint64_t skippedNulBytes() const { return m_skippedNulBytes; }

private:
    struct Fingerprint {
        std::uint64_t hash = 0;
        std::uint32_t length = 0;
        bool complete = false;
    };

    Result<void> openCurrent();
    void checkRotation(std::vector<LogRecord> &out);
    void restartAtZero(std::vector<LogRecord> &out);
    void finishDraining(std::vector<LogRecord> &out);
    Result<bool> readAvailable(std::vector<LogRecord> &out);
    std::optional<std::string> readPrefix(std::uint32_t maxBytes) const;
    // skipNulHole moves past NUL bytes at a line start; returns how many (0: chunk starts a line).
    std::size_t skipNulHole(std::string_view chunk);
    bool verifyFingerprint() const;
    void refreshFingerprint();
    void closeFile();
    // appendLine hands a complete line to the joiner and parses the records it completes.
    void appendLine(TailLine line, std::vector<LogRecord> &out);
    void appendRecord(TailLine &record, std::vector<LogRecord> &out);
    // flushLines completes the partial line and the held record: the file is left or restarted.
    void flushLines(std::vector<LogRecord> &out);
    // flushStalePartial takes a partial last line that has not grown for partialLineFlushMs.
    void flushStalePartial(std::vector<LogRecord> &out);
    std::unexpected<Error> failWith(TailErrorKind kind, std::string message);

    LogTailerOptions m_options;
    const Clock &m_clock;
    std::optional<TailPosition> m_saved;
    std::optional<TailPosition> m_lastDrained;
    LogTailerLineBuffer m_lines;
    MultilineJoiner m_joiner;
    std::vector<TailLine> m_joined; // scratch: the records the joiner completes for one line
    int m_fd = -1;
    std::uint64_t m_device = 0;
    std::uint64_t m_inode = 0;
    Fingerprint m_fingerprint;
    TailState m_state = TailState::Waiting;
    TailErrorKind m_errorKind = TailErrorKind::None;
    bool m_hasMore = false;
    bool m_seenBefore = false;
    std::uint64_t m_rotations = 0;
    std::uint64_t m_truncatedLines = 0;
    std::uint64_t m_skippedNulBytes = 0;
    std::string m_readBuffer;
    std::size_t m_partialBytes = 0;    // the partial line's size when it was last seen to change
    std::int64_t m_partialSinceMs = 0; // when that was (m_clock); 0: no partial line
};

} // namespace pulse
