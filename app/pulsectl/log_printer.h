// How pulsectl prints log records: one JSON object a line (for scripts), or one readable line
// whose control bytes are escaped (a log line must not drive the terminal).
#pragma once

#include "core/logs/log_record.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace pulse::cli {

/// LogJsonParts picks the members of a record's JSON object besides time, level, message and fields.
struct LogJsonParts {
    bool target = false;
    bool file = false;   ///< file and offset
    bool rawAlways = false; ///< raw even when the line parsed (it is always there when it did not)
};

/// appendLogJson writes {"time":…,"level":…,"message":…,"fields":{…},…}: time as RFC 3339 UTC with
/// milliseconds, fields in the line's order with numbers (a status, a byte count) as JSON numbers,
/// invalid UTF-8 as U+FFFD, `raw` (the line as read) when the line did not parse, and "truncated":
/// true for a line cut at the tailer's limit.
void appendLogJson(std::string &out, const LogRecord &record, const LogJsonParts &parts = {});

/// appendLogLine writes "TIME TARGET LEVEL raw" for a terminal: control characters (C0, DEL and
/// C1), bidirectional controls and bytes that are not UTF-8 as \xHH or \u{HHHH}.
void appendLogLine(std::string &out, const LogRecord &record);

/// appendTerminalSafe copies text for a terminal: control characters (C0, DEL and C1),
/// bidirectional controls and bytes that are not UTF-8 as \xHH or \u{HHHH}.
void appendTerminalSafe(std::string &out, std::string_view text);

/// rfc3339Ms writes Unix milliseconds as 2026-12-07T03:12:00.123Z.
std::string rfc3339Ms(std::int64_t ms);

} // namespace pulse::cli
