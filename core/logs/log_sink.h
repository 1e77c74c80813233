// LogSink: where collectors hand parsed log records (the in-memory LogStore now, the FTS5 store later).
#pragma once

#include "core/logs/log_record.h"

#include <vector>

namespace pulse {

/// LogSink accepts batches of records. Implementations must be thread-safe: tailers on the
/// collectors' threads call append concurrently.
class LogSink {
public:
    virtual ~LogSink() = default;
    /// append takes ownership of records; they need not be in time order.
    virtual void append(std::vector<LogRecord> records) = 0;
};

} // namespace pulse
