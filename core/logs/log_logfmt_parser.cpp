// parseLogfmtLine: logfmt (`ts=2026-12-07T03:12:00Z level=warn msg="cache miss" key=42`), as Go's
// logfmt and Heroku write it: pairs separated by blanks, a value bare or double-quoted with
// backslash escapes, a key alone meaning true.
#include "core/logs/log_parsers.h"

#include "core/logs/detail/keyed_fields.h"
#include "core/logs/log_time.h"

#include <charconv>

namespace pulse {

namespace {

struct Pair {
    std::string key;
    std::string value;
};

// readPairs splits the line; false when it is not logfmt (no pair at all, a bare word without '=',
// an unterminated quote, a key with characters logfmt does not allow).
bool readPairs(std::string_view line, std::vector<Pair> &out)
{
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        if (i >= line.size())
            break;
        const std::size_t keyStart = i;
        while (i < line.size() && line[i] != '=' && line[i] != ' ' && line[i] != '\t' && line[i] != '"')
            ++i;
        if (i == keyStart || (i < line.size() && line[i] == '"'))
            return false;
        Pair p;
        p.key = std::string(line.substr(keyStart, i - keyStart));
        if (i >= line.size() || line[i] != '=') {
            p.value = "true"; // a key alone is a flag
            out.push_back(std::move(p));
            continue;
        }
        ++i; // '='
        if (i < line.size() && line[i] == '"') {
            ++i;
            bool closed = false;
            while (i < line.size()) {
                const char c = line[i++];
                if (c == '"') {
                    closed = true;
                    break;
                }
                if (c == '\\' && i < line.size()) {
                    const char e = line[i++];
                    p.value += e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
                } else {
                    p.value += c;
                }
            }
            if (!closed)
                return false;
        } else {
            const std::size_t valueStart = i;
            while (i < line.size() && line[i] != ' ' && line[i] != '\t')
                ++i;
            p.value = std::string(line.substr(valueStart, i - valueStart));
        }
        out.push_back(std::move(p));
    }
    return !out.empty();
}

std::optional<std::int64_t> timeOf(const std::string &value)
{
    if (const auto iso = parseIsoTime(value); iso && iso->length == value.size())
        return iso->ms;
    double number = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (ec == std::errc() && end == value.data() + value.size() && !value.empty())
        return epochNumberToMs(number);
    return std::nullopt;
}

} // namespace

LogRecord parseLogfmtLine(std::string_view line, const LogLineContext &context)
{
    std::vector<Pair> pairs;
    if (!readPairs(line, pairs))
        return malformedLogRecord(line, context);
    LogRecord record = baseLogRecord(line, context);
    line = record.raw; // it may have moved there (LogLineContext::ownedLine)
    static constexpr std::string_view kTime[] = {"ts", "time", "timestamp", "t"};
    static constexpr std::string_view kLevel[] = {"level", "lvl", "severity"};
    static constexpr std::string_view kMessage[] = {"msg", "message"};
    detail::KeyedFields fields(record, {kTime, kLevel, kMessage});
    for (Pair &p : pairs)
        fields.take(std::move(p.key), std::move(p.value), timeOf);
    fields.finish();
    return record;
}

} // namespace pulse
