// Log line parsers: pure functions from one line of bytes to a LogRecord, one per log format.
//
// Invariants every parser keeps:
//   1. A line is never dropped: input that does not match the format becomes a record with
//      level Unknown, malformed = true, message = the raw text and the read time as its timestamp.
//   2. raw is the input byte-exact; nothing is trimmed, decoded or re-encoded in it.
//   3. No parser throws, allocates without bound, or reads outside the view it was given.
#pragma once

#include "core/logs/log_format.h"

#include "core/logs/log_record.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace pulse {

/// parseLogFormat reads a config spelling; "json", "nginx" and "apache_combined" (the same format)
/// are accepted as aliases.
std::optional<LogFormat> parseLogFormat(std::string_view name);

/// LogLineContext is what a parser needs besides the line: where it came from and when it was read.
/// kMaxLogFutureMs and kPlausibleLogTimeMs bound the time a line may claim: more than 10 minutes after
/// it was read, or before 2001-09-09 (1e12 ms), and parseLogLine files it at its read time instead
/// (LogRecord::timeReplaced; the claimed time stays in the field `logged_time_ms`).
constexpr std::int64_t kMaxLogFutureMs = 10 * 60 * 1000;
constexpr std::int64_t kPlausibleLogTimeMs = 1'000'000'000'000;

struct LogLineContext {
    std::string_view target;
    /// readTimeMs stands in for the timestamp when the line has none (or an unreadable one).
    std::int64_t readTimeMs = 0;
    /// offset is the byte offset of the line in its file.
    std::uint64_t offset = 0;
    /// ownedLine, when set, is the caller's string holding exactly the line being parsed, which the
    /// parser may move into the record's raw instead of copying it (a line's allocation and copy
    /// fewer; the caller no longer needs it). Parsers read the line from record.raw after
    /// baseLogRecord.
    std::string *ownedLine = nullptr;
};

/// parseLogLine parses line (without its terminator) as format. LogFormat::Regex needs its pattern:
/// use LogLineParser (core/logs/log_line_parser.h); here every line is malformed.
LogRecord parseLogLine(LogFormat format, std::string_view line, const LogLineContext &context);

/// withPlausibleTime files a record whose own time is implausible (kMaxLogFutureMs, kPlausibleLogTimeMs)
/// at its read time; parseLogLine applies it to every record.
LogRecord withPlausibleTime(LogRecord record, const LogLineContext &context);

/// parseNginxCombinedLine reads nginx's "combined" (and "common") access format. Fields: remote_addr,
/// remote_user, method, path, protocol, status, bytes, referer, user_agent. Level: 5xx error,
/// 4xx warn, else info. message is "METHOD PATH STATUS".
LogRecord parseNginxCombinedLine(std::string_view line, const LogLineContext &context);

/// parseJsonLine reads one JSON object per line. Time from ts/time/timestamp/@timestamp (RFC 3339 text
/// or epoch seconds/milliseconds), level from level/severity/lvl, message from msg/message; every
/// other top-level member becomes a field (strings unescaped, "stack" traces keep their newlines,
/// numbers and nested values as written).
LogRecord parseJsonLine(std::string_view line, const LogLineContext &context);

/// parseSyslogLine reads RFC 5424 ("<34>1 2026-11-29T09:12:03Z host app 12 ID47 - msg") and RFC 3164
/// ("<34>Nov 29 09:12:03 host app[12]: msg"), the PRI being optional as in files rsyslog writes.
/// Fields: facility, hostname, app_name, procid, msgid, structured_data (those present).
LogRecord parseSyslogLine(std::string_view line, const LogLineContext &context);

/// parseLogfmtLine reads logfmt pairs (`key=value`, `key="quoted \"value\""`, a key alone is true).
/// Time from ts/time/timestamp/t (RFC 3339 or epoch seconds/ms), level from level/lvl/severity,
/// message from msg/message; every other pair is a field. A line that is not logfmt is malformed.
LogRecord parseLogfmtLine(std::string_view line, const LogLineContext &context);

/// parsePlainLine guesses a leading timestamp (ISO 8601, "2026/11/29 09:12:03", "[29/Nov/2026:...]",
/// "Nov 29 09:12:03") and a level word ("ERROR", "[warn]", "level=info") near the start.
/// Plain lines are never malformed; without a timestamp they carry the read time.
LogRecord parsePlainLine(std::string_view line, const LogLineContext &context);

/// guessLogLevel looks for a level word in the first bytes of text; Unknown when there is none.
LogLevel guessLogLevel(std::string_view text);

/// malformedLogRecord is the record for a line that did not match its format (invariant 1).
LogRecord malformedLogRecord(std::string_view line, const LogLineContext &context);

/// ownedOrCopied is line as a string of its own: context.ownedLine moved when it holds exactly
/// line, else a copy.
std::string ownedOrCopied(std::string_view line, const LogLineContext &context);

/// baseLogRecord is where every parser starts (its raw taken from context.ownedLine when that holds
/// exactly line; a parser then reads the line from record.raw): the line's target, raw bytes and offset, stamped
/// with its read time, nothing parsed yet.
LogRecord baseLogRecord(std::string_view line, const LogLineContext &context);

} // namespace pulse
