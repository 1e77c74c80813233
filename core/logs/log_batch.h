// LogBatch: what a tailer hands on after one poll — the records it read and where each file now
// stands — so a store can make both durable in one transaction.
#pragma once

#include "core/logs/log_record.h"

#include <cstdint>
#include <string>
#include <vector>

namespace pulse {

/// TailPosition is what to persist to resume a file after a restart without re-reading it.
struct TailPosition {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    /// offset is the first byte of the first line not yet returned.
    std::uint64_t offset = 0;
    /// firstLineHash is FNV-1a over the file's first firstLineLength bytes (its first line, up to
    /// LogTailer::kFingerprintBytes); length 0 means the file was empty when last seen.
    std::uint64_t firstLineHash = 0;
    std::uint32_t firstLineLength = 0;

    bool operator==(const TailPosition &) const = default;
};

/// LogCheckpoint is where one file of one target stands after the records of the same batch: a
/// store that commits the records commits this with them, and a tailer resuming from it neither
/// loses nor repeats a line.
struct LogCheckpoint {
    std::string target;
    std::string path;
    TailPosition position;

    bool operator==(const LogCheckpoint &) const = default;
};

/// LogBatch is one poll's output: records oldest first, and the checkpoints after them.
struct LogBatch {
    std::vector<LogRecord> records;
    std::vector<LogCheckpoint> checkpoints;
};

} // namespace pulse
