// Timestamp parsers for log lines: pure functions over bytes that read a timestamp at the start of a
// view and say how many bytes it took, so format parsers can continue after it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace pulse {

/// LogTimeMatch is a parsed timestamp (milliseconds since the Unix epoch, UTC) and its length in bytes.
struct LogTimeMatch {
    std::int64_t ms = 0;
    std::size_t length = 0;
};

/// parseIsoTime reads RFC 3339 / ISO 8601 at the start of text: "2026-11-29T09:12:03.123Z",
/// "2026-11-29 09:12:03,123+01:00", "2026-11-29T09:12:03+0100". Without a zone the time is taken as
/// UTC: the tailer cannot know the writer's zone, and a fixed guess keeps results reproducible.
std::optional<LogTimeMatch> parseIsoTime(std::string_view text);

/// parseNginxTime reads nginx's $time_local at the start of text: "29/Nov/2026:09:12:03 +0000".
std::optional<LogTimeMatch> parseNginxTime(std::string_view text);

/// parseSlashTime reads "2026/11/29 09:12:03" (nginx's error log, many Go programs), taken as UTC.
std::optional<LogTimeMatch> parseSlashTime(std::string_view text);

/// parseBsdSyslogTime reads RFC 3164's "Nov 29 09:12:03" (or "Nov  9 ..."), which has no year nor zone:
/// the year is the one that puts the time closest before referenceMs (plus a day of clock skew), so a
/// December line read in January lands in the previous year.
std::optional<LogTimeMatch> parseBsdSyslogTime(std::string_view text, std::int64_t referenceMs);

/// epochNumberToMs turns a numeric timestamp from a JSON log into milliseconds: values below 1e11 are
/// seconds (possibly fractional), larger ones milliseconds, larger than 1e14 microseconds, 1e17 nanoseconds.
std::optional<std::int64_t> epochNumberToMs(double value);

/// parseLogTimeText reads a whole timestamp field (a regex format's `time` group): any layout above,
/// or epoch seconds / milliseconds as digits (with an optional fraction). Surrounding blanks and
/// brackets are ignored; anything left over after the time means no time.
std::optional<std::int64_t> parseLogTimeText(std::string_view text, std::int64_t referenceMs);

/// utcMs is the instant of a civil UTC date and time (proleptic Gregorian), without range checks.
std::int64_t utcMs(int year, int month, int day, int hour, int minute, int second, int millisecond);

} // namespace pulse
