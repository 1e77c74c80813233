// The syslog parser: RFC 5424 and RFC 3164 ("BSD") lines, with or without the <PRI> that network
// syslog carries and rsyslog's files usually drop, and with rsyslog's RFC 3339 file timestamps.
#include "core/logs/log_parsers.h"

#include "core/logs/log_time.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>

namespace pulse {
namespace {

constexpr std::array<std::string_view, 24> kFacilities{
    "kern",   "user",   "mail",     "daemon", "auth",   "syslog",   "lpr",     "news",
    "uucp",   "cron",   "authpriv", "ftp",    "ntp",    "security", "console", "solaris-cron",
    "local0", "local1", "local2",   "local3", "local4", "local5",   "local6",  "local7",
};

// kMaxTagBytes bounds an RFC 3164 TAG; the RFC says 32, real daemons run a little longer.
constexpr std::size_t kMaxTagBytes = 48;

LogLevel levelFromSeverity(int severity)
{
    switch (severity) {
    case 0:
    case 1:
    case 2:
        return LogLevel::Fatal;
    case 3:
        return LogLevel::Error;
    case 4:
        return LogLevel::Warn;
    case 5:
    case 6:
        return LogLevel::Info;
    default:
        return LogLevel::Debug;
    }
}

std::string_view nextToken(std::string_view line, std::size_t &pos)
{
    const std::size_t end = std::min(line.find(' ', pos), line.size());
    const std::string_view token = line.substr(pos, end - pos);
    pos = end;
    return token;
}

bool consume(std::string_view line, std::size_t &pos, char c)
{
    if (pos >= line.size() || line[pos] != c)
        return false;
    ++pos;
    return true;
}

// readPri reads "<N>" with N in 0..191; -1 when the line has no PRI, -2 when it has a broken one.
int readPri(std::string_view line, std::size_t &pos)
{
    if (!consume(line, pos, '<'))
        return -1;
    int value = 0;
    std::size_t digits = 0;
    while (pos < line.size() && line[pos] >= '0' && line[pos] <= '9' && digits < 3) {
        value = value * 10 + (line[pos++] - '0');
        ++digits;
    }
    if (digits == 0 || value > 191 || !consume(line, pos, '>'))
        return -2;
    return value;
}

// readStructuredData reads "-" or one or more "[id k="v" ...]" elements; params may escape \" \] \\.
std::optional<std::string_view> readStructuredData(std::string_view line, std::size_t &pos)
{
    const std::size_t start = pos;
    if (consume(line, pos, '-'))
        return line.substr(start, 1);
    if (pos >= line.size() || line[pos] != '[')
        return std::nullopt;
    while (pos < line.size() && line[pos] == '[') {
        bool inQuotes = false;
        ++pos;
        for (;;) {
            if (pos >= line.size())
                return std::nullopt;
            const char c = line[pos++];
            if (inQuotes && c == '\\' && pos < line.size()) {
                ++pos;
            } else if (c == '"') {
                inQuotes = !inQuotes;
            } else if (c == ']' && !inQuotes) {
                break;
            }
        }
    }
    return line.substr(start, pos - start);
}

std::string_view stripBom(std::string_view text)
{
    return text.starts_with("\xEF\xBB\xBF") ? text.substr(3) : text;
}

bool parse5424(std::string_view line, std::size_t pos, LogRecord &record)
{
    if (consume(line, pos, '-')) {
        // NILVALUE: the record keeps the read time.
    } else if (const auto time = parseIsoTime(line.substr(pos))) {
        record.timestampMs = time->ms;
        pos += time->length;
    } else {
        return false;
    }
    const std::array<std::string_view, 4> names{"hostname", "app_name", "procid", "msgid"};
    for (std::string_view name : names) {
        if (!consume(line, pos, ' '))
            return false;
        const std::string_view token = nextToken(line, pos);
        if (token.empty())
            return false;
        if (token != "-")
            record.fields.emplace_back(name, token);
    }
    if (!consume(line, pos, ' '))
        return false;
    const auto data = readStructuredData(line, pos);
    if (!data)
        return false;
    if (*data != "-")
        record.fields.emplace_back("structured_data", *data);
    if (pos < line.size() && !consume(line, pos, ' '))
        return false;
    record.message = std::string(stripBom(line.substr(pos)));
    return true;
}

bool parse3164(std::string_view line, std::size_t pos, std::int64_t readTimeMs, LogRecord &record)
{
    const std::string_view rest = line.substr(pos);
    auto time = parseBsdSyslogTime(rest, readTimeMs);
    if (!time)
        time = parseIsoTime(rest);
    if (!time)
        return false;
    record.timestampMs = time->ms;
    pos += time->length;
    if (!consume(line, pos, ' '))
        return false;
    const std::string_view host = nextToken(line, pos);
    if (host.empty())
        return false;
    record.fields.emplace_back("hostname", host);
    consume(line, pos, ' ');
    // TAG[pid]: is optional; without it everything after the host is the message.
    std::size_t tagEnd = pos;
    while (tagEnd < line.size() && tagEnd - pos <= kMaxTagBytes && line[tagEnd] != '[' && line[tagEnd] != ':' &&
           line[tagEnd] != ' ')
        ++tagEnd;
    std::size_t after = tagEnd;
    std::string_view pid;
    if (after < line.size() && line[after] == '[') {
        const std::size_t close = line.find(']', after);
        if (close != std::string_view::npos) {
            pid = line.substr(after + 1, close - after - 1);
            after = close + 1;
        }
    }
    if (tagEnd > pos && after < line.size() && line[after] == ':') {
        record.fields.emplace_back("app_name", line.substr(pos, tagEnd - pos));
        if (!pid.empty())
            record.fields.emplace_back("procid", pid);
        pos = after + 1;
        consume(line, pos, ' ');
    }
    record.message = std::string(line.substr(pos));
    return true;
}

} // namespace

LogRecord parseSyslogLine(std::string_view line, const LogLineContext &context)
{
    LogRecord record = baseLogRecord(line, context);
    line = record.raw; // it may have moved there (LogLineContext::ownedLine)

    std::size_t pos = 0;
    const int pri = readPri(line, pos);
    if (pri == -2)
        return malformedLogRecord(line, context);
    const bool is5424 = pri >= 0 && line.substr(pos, 2) == "1 ";
    const bool ok = is5424 ? parse5424(line, pos + 2, record) : parse3164(line, pos, context.readTimeMs, record);
    if (!ok)
        return malformedLogRecord(line, context);
    if (pri >= 0) {
        record.fields.insert(record.fields.begin(), LogField("facility", kFacilities[std::size_t(pri / 8)]));
        record.level = levelFromSeverity(pri % 8);
    } else {
        // Files without PRI carry no severity; a level word in the message is the best evidence left.
        const LogLevel guessed = guessLogLevel(record.message);
        record.level = guessed == LogLevel::Unknown ? LogLevel::Info : guessed;
    }
    return record;
}

} // namespace pulse
