// LogRecord: one parsed log line as every log consumer sees it (tailer, store, log view, exporters).
// The raw text is kept byte-exact; parsed fields are a convenience on top of it, never a replacement.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pulse {

/// LogLevel orders severities so "min level" filters can compare them; Unknown sorts lowest, so a
/// filter of Trace or above hides malformed lines and Unknown shows everything.
enum class LogLevel : std::uint8_t { Unknown, Trace, Debug, Info, Warn, Error, Fatal };

/// logLevelName is the lower-case name shown to users ("warn", "unknown").
std::string_view logLevelName(LogLevel level);

/// parseLogLevel maps the spellings real logs use (case-insensitive: "WARNING", "err", "crit",
/// syslog's "emerg", numeric bunyan levels 10..60) to a LogLevel; anything else is Unknown.
LogLevel parseLogLevel(std::string_view text);

/// LogField is one parsed key/value of a record (method, path, status, request_id, stack, ...).
using LogField = std::pair<std::string, std::string>;

/// LogRecord is one log line (or, for JSON lines, one object whose strings may hold newlines).
struct LogRecord {
    /// target is the configured target name the line came from.
    std::string target;
    /// file is the path of the file the line was read from (empty when not from a file).
    std::string file;
    /// timestampMs is the line's own time when it has one, else the time it was read.
    std::int64_t timestampMs = 0;
    LogLevel level = LogLevel::Unknown;
    /// message is the human part: the JSON "msg", the syslog MSG, the request line for access logs.
    std::string message;
    /// raw is the line exactly as read, without its line terminator.
    std::string raw;
    /// fields are the other parsed values, in the order the line had them.
    std::vector<LogField> fields;
    /// offset is the byte offset of the line's first byte in its file (0 when not from a file).
    std::uint64_t offset = 0;
    /// storeId is the persisted store's id of the record (0 when it has none): among lines of the
    /// same millisecond it orders them, so pages of a log view can continue exactly after one.
    std::int64_t storeId = 0;
    /// truncated says raw was cut at the tailer's maximum line length.
    bool truncated = false;
    /// malformed says the line did not match its declared format; level is then Unknown.
    bool malformed = false;
    /// timeReplaced says the line's own time was implausible (far ahead of when it was read, or before
    /// 2001): timestampMs is when it was read, and the field `logged_time_ms` holds the line's time.
    bool timeReplaced = false;

    /// field returns the value of key, or an empty view when the record has no such field.
    std::string_view field(std::string_view key) const;
};

} // namespace pulse
