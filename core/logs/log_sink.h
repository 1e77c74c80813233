// LogSink: where collectors hand parsed log records (the history file's writer, or the in-memory
// LogStore when there is no file).
#pragma once

#include "core/logs/log_batch.h"

#include <vector>

namespace pulse {

/// LogSink accepts batches of records. Implementations must be thread-safe: tailers on the
/// collectors' threads call append concurrently.
class LogSink {
public:
    virtual ~LogSink() = default;
    /// append takes ownership of a batch; its records need not be in time order. A sink never drops
    /// a batch: a tailer that lost one would have moved past lines nobody will read again. It keeps
    /// its memory bounded through hasRoom() instead.
    virtual void append(LogBatch batch) = 0;
    /// hasRoom says whether the sink wants more now. A tailer asked to wait leaves the lines in the
    /// file (the file is the buffer) and polls again later; one batch past a "no" is still taken.
    virtual bool hasRoom() const { return true; }
};

} // namespace pulse
