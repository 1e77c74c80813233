// Format dispatch, the nginx combined parser and the plain-text parser. JSON lines and syslog live in
// log_json_parser.cpp and log_syslog_parser.cpp.
#include "core/logs/log_parsers.h"

#include "core/logs/log_time.h"

#include <algorithm>
#include <cctype>

namespace pulse {
namespace {

// kLevelScanBytes bounds how far into a plain line a level word is looked for: levels sit next to
// the timestamp, and a word deep in the message ("... retry after error") is not the line's level.
constexpr std::size_t kLevelScanBytes = 96;

bool isAsciiAlpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool isAsciiUpper(std::string_view word)
{
    return std::all_of(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// Cursor walks a line left to right; every read is bounds-checked and failure leaves it unchanged.
struct Cursor {
    std::string_view text;
    std::size_t pos = 0;

    bool atEnd() const { return pos >= text.size(); }
    bool consume(char c)
    {
        if (atEnd() || text[pos] != c)
            return false;
        ++pos;
        return true;
    }
    std::string_view token()
    {
        const std::size_t end = std::min(text.find(' ', pos), text.size());
        const std::string_view out = text.substr(pos, end - pos);
        pos = end;
        return out;
    }
    // quoted reads "..." where \" does not end the string (nginx escapes '"' as \x22, but other
    // servers writing this format use backslashes). The result is the text as written.
    std::optional<std::string_view> quoted()
    {
        if (!consume('"'))
            return std::nullopt;
        // A '"' ends the string unless an odd run of backslashes (after start) comes right before it:
        // each backslash escapes the byte after it.
        const std::size_t start = pos;
        for (std::size_t at = text.find('"', start); at != std::string_view::npos; at = text.find('"', at + 1)) {
            std::size_t backslashes = 0;
            while (at - backslashes > start && text[at - backslashes - 1] == '\\')
                ++backslashes;
            if (backslashes % 2 == 0) {
                pos = at + 1;
                return text.substr(start, at - start);
            }
        }
        pos = start - 1;
        return std::nullopt;
    }
};

bool allDigits(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// afterLevelKey says whether the '=' at equals ends a logfmt level key ("level=", "lvl=", "severity="),
// so "onerror=alert(1)" is not taken for an alert.
bool afterLevelKey(std::string_view text, std::size_t equals)
{
    std::size_t start = equals;
    while (start > 0 && isAsciiAlpha(text[start - 1]))
        --start;
    const std::string_view key = text.substr(start, equals - start);
    return key == "level" || key == "lvl" || key == "severity" || key == "loglevel";
}

} // namespace

std::optional<LogFormat> parseLogFormat(std::string_view name)
{
    if (name == "plain")
        return LogFormat::Plain;
    if (name == "nginx_combined" || name == "nginx" || name == "apache_combined")
        return LogFormat::NginxCombined;
    if (name == "json_lines" || name == "json")
        return LogFormat::JsonLines;
    if (name == "syslog")
        return LogFormat::Syslog;
    if (name == "logfmt")
        return LogFormat::Logfmt;
    if (name == "regex")
        return LogFormat::Regex;
    return std::nullopt;
}

namespace {

LogRecord parseAs(LogFormat format, std::string_view line, const LogLineContext &context)
{
    switch (format) {
    case LogFormat::Plain:
        return parsePlainLine(line, context);
    case LogFormat::NginxCombined:
        return parseNginxCombinedLine(line, context);
    case LogFormat::JsonLines:
        return parseJsonLine(line, context);
    case LogFormat::Syslog:
        return parseSyslogLine(line, context);
    case LogFormat::Logfmt:
        return parseLogfmtLine(line, context);
    case LogFormat::Regex:
        // Without its pattern (LogLineParser holds it) no line can match.
        return malformedLogRecord(line, context);
    }
    return parsePlainLine(line, context);
}

} // namespace

LogRecord parseLogLine(LogFormat format, std::string_view line, const LogLineContext &context)
{
    return withPlausibleTime(parseAs(format, line, context), context);
}

LogRecord withPlausibleTime(LogRecord record, const LogLineContext &context)
{
    // A line stamped far ahead of when it was read (a clock set wrong, a year-9999 typo, an attacker's
    // "ts") would sort after every real line for ever, and one from before 2001 (seconds read as
    // milliseconds) before all of them: it is filed by arrival instead, its own time kept as a field.
    const bool readTimePlausible = context.readTimeMs >= kPlausibleLogTimeMs;
    if (readTimePlausible &&
        (record.timestampMs > context.readTimeMs + kMaxLogFutureMs || record.timestampMs < kPlausibleLogTimeMs)) {
        record.fields.emplace_back("logged_time_ms", std::to_string(record.timestampMs));
        record.timestampMs = context.readTimeMs;
        record.timeReplaced = true;
    }
    return record;
}

std::string ownedOrCopied(std::string_view line, const LogLineContext &context)
{
    if (context.ownedLine && context.ownedLine->data() == line.data() && context.ownedLine->size() == line.size())
        return std::move(*context.ownedLine);
    return std::string(line);
}

LogRecord baseLogRecord(std::string_view line, const LogLineContext &context)
{
    LogRecord record;
    record.target = std::string(context.target);
    record.timestampMs = context.readTimeMs;
    record.raw = ownedOrCopied(line, context);
    record.offset = context.offset;
    return record;
}

LogRecord malformedLogRecord(std::string_view line, const LogLineContext &context)
{
    LogRecord record = baseLogRecord(line, context);
    line = record.raw; // it may have moved there (LogLineContext::ownedLine)
    record.message = record.raw;
    record.malformed = true;
    return record;
}

LogLevel guessLogLevel(std::string_view text)
{
    const std::string_view head = text.substr(0, std::min(text.size(), kLevelScanBytes));
    std::size_t pos = 0;
    while (pos < head.size()) {
        if (!isAsciiAlpha(head[pos])) {
            ++pos;
            continue;
        }
        std::size_t end = pos;
        while (end < head.size() && isAsciiAlpha(head[end]))
            ++end;
        const std::string_view word = head.substr(pos, end - pos);
        // A lower-case "error" is prose unless it is marked up as a level: "[error]", "level=error".
        const char before = pos > 0 ? head[pos - 1] : ' ';
        const bool marked =
            before == '[' || before == '<' || before == '"' || (before == '=' && afterLevelKey(head, pos - 1));
        if (word.size() >= 3 && (marked || isAsciiUpper(word))) {
            if (const LogLevel level = parseLogLevel(word); level != LogLevel::Unknown)
                return level;
        }
        pos = end;
    }
    return LogLevel::Unknown;
}

LogRecord parseNginxCombinedLine(std::string_view line, const LogLineContext &context)
{
    LogRecord record = baseLogRecord(line, context);
    line = record.raw; // it may have moved there (LogLineContext::ownedLine)
    Cursor cursor{line};
    const std::string_view remoteAddr = cursor.token();
    if (remoteAddr.empty() || !cursor.consume(' '))
        return malformedLogRecord(line, context);
    cursor.token(); // $remote_ident, always "-" in nginx
    if (!cursor.consume(' '))
        return malformedLogRecord(line, context);
    const std::string_view remoteUser = cursor.token();
    if (!cursor.consume(' ') || !cursor.consume('['))
        return malformedLogRecord(line, context);
    const auto time = parseNginxTime(line.substr(cursor.pos));
    if (!time)
        return malformedLogRecord(line, context);
    cursor.pos += time->length;
    if (!cursor.consume(']') || !cursor.consume(' '))
        return malformedLogRecord(line, context);
    const auto request = cursor.quoted();
    if (!request || !cursor.consume(' '))
        return malformedLogRecord(line, context);
    const std::string_view status = cursor.token();
    if (status.size() != 3 || !allDigits(status) || !cursor.consume(' '))
        return malformedLogRecord(line, context);
    const std::string_view bytes = cursor.token();
    if (bytes != "-" && !allDigits(bytes))
        return malformedLogRecord(line, context);
    // "common" stops here; "combined" adds the referer and user agent.
    std::optional<std::string_view> referer;
    std::optional<std::string_view> agent;
    if (cursor.consume(' ')) {
        referer = cursor.quoted();
        if (!referer || !cursor.consume(' '))
            return malformedLogRecord(line, context);
        agent = cursor.quoted();
        if (!agent)
            return malformedLogRecord(line, context);
    }

    record.timestampMs = time->ms;
    record.fields.reserve(9); // one allocation, not five as the vector grows
    record.fields.emplace_back("remote_addr", remoteAddr);
    record.fields.emplace_back("remote_user", remoteUser);
    // The request line is client-controlled: "-" for a dropped connection, TLS bytes on a plain port.
    const std::size_t methodEnd = request->find(' ');
    const std::size_t pathEnd = methodEnd == std::string_view::npos ? methodEnd : request->find(' ', methodEnd + 1);
    if (methodEnd != std::string_view::npos) {
        const std::string_view method = request->substr(0, methodEnd);
        const std::string_view path = request->substr(
            methodEnd + 1, pathEnd == std::string_view::npos ? std::string_view::npos : pathEnd - methodEnd - 1);
        record.fields.emplace_back("method", method);
        record.fields.emplace_back("path", path);
        if (pathEnd != std::string_view::npos)
            record.fields.emplace_back("protocol", request->substr(pathEnd + 1));
        record.message.reserve(method.size() + path.size() + status.size() + 2);
        record.message.append(method).append(1, ' ').append(path).append(1, ' ').append(status);
    } else {
        record.message.reserve(request->size() + status.size() + 1);
        record.message.append(*request).append(1, ' ').append(status);
    }
    record.fields.emplace_back("status", status);
    record.fields.emplace_back("bytes", bytes);
    if (referer)
        record.fields.emplace_back("referer", *referer);
    if (agent)
        record.fields.emplace_back("user_agent", *agent);
    record.level = status[0] == '5' ? LogLevel::Error : status[0] == '4' ? LogLevel::Warn : LogLevel::Info;
    return record;
}

LogRecord parsePlainLine(std::string_view line, const LogLineContext &context)
{
    LogRecord record = baseLogRecord(line, context);
    line = record.raw; // it may have moved there (LogLineContext::ownedLine)
    std::size_t pos = 0;
    const bool bracketed = !line.empty() && line[0] == '[';
    const std::string_view head = line.substr(bracketed ? 1 : 0);
    std::optional<LogTimeMatch> time = parseIsoTime(head);
    if (!time)
        time = parseSlashTime(head);
    if (!time)
        time = parseNginxTime(head);
    if (!time)
        time = parseBsdSyslogTime(head, context.readTimeMs);
    if (time) {
        record.timestampMs = time->ms;
        pos = time->length + (bracketed ? 1 : 0);
        if (bracketed && pos < line.size() && line[pos] == ']')
            ++pos;
        while (pos < line.size() && line[pos] == ' ')
            ++pos;
    }
    record.message = std::string(line.substr(pos));
    record.level = guessLogLevel(record.message);
    return record;
}

} // namespace pulse
