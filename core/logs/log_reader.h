// LogReader: what answers a LogQuery (the history file's log table, or the in-memory LogStore).
#pragma once

#include "core/base/error.h"
#include "core/logs/log_query.h"

#include <vector>

namespace pulse {

/// LogReader answers queries. Implementations must be thread-safe; query may block on I/O, so
/// it is never called on the GUI thread.
class LogReader {
public:
    virtual ~LogReader() = default;
    /// query returns the matching records, oldest first, at most query.limit of them (see
    /// LogQuery::keepNewest for which end survives), or an error for an invalid query.
    virtual Result<std::vector<LogRecord>> query(const LogQuery &query) const = 0;
};

} // namespace pulse
