// The JSON-lines parser: a small scanner for one top-level object per line. Only the top level is
// decoded; nested objects and arrays are kept as written (their brackets are balanced, strings inside
// them respected, but they are not validated further), which is all a log view needs and keeps the
// work per line linear with no recursion for hostile nesting.
#include "core/logs/log_parsers.h"

#include "core/base/text_encoding.h"
#include "core/logs/detail/keyed_fields.h"
#include "core/logs/log_time.h"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <string>
#include <vector>

namespace pulse {
namespace {

struct JsonMember {
    std::string key;
    /// value is the decoded text for strings, the text as written for anything else.
    std::string value;
    bool isString = false;
};

class JsonScanner {
public:
    explicit JsonScanner(std::string_view text) : m_text(text) {}

    // object reads the whole line as one object; false on any syntax error or trailing bytes.
    bool object(std::vector<JsonMember> &members)
    {
        skipSpace();
        if (!consume('{'))
            return false;
        skipSpace();
        if (consume('}'))
            return atEndAfterSpace();
        for (;;) {
            JsonMember member;
            skipSpace();
            if (!string(member.key))
                return false;
            skipSpace();
            if (!consume(':'))
                return false;
            skipSpace();
            if (!value(member))
                return false;
            members.push_back(std::move(member));
            skipSpace();
            if (consume('}'))
                return atEndAfterSpace();
            if (!consume(','))
                return false;
        }
    }

private:
    bool atEnd() const { return m_pos >= m_text.size(); }
    bool consume(char c)
    {
        if (atEnd() || m_text[m_pos] != c)
            return false;
        ++m_pos;
        return true;
    }
    void skipSpace()
    {
        while (!atEnd() &&
               (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\r' || m_text[m_pos] == '\n'))
            ++m_pos;
    }
    bool atEndAfterSpace()
    {
        skipSpace();
        return atEnd();
    }

    bool hex4(std::uint32_t &out)
    {
        if (m_pos + 4 > m_text.size())
            return false;
        out = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = m_text[m_pos++];
            out <<= 4;
            if (c >= '0' && c <= '9')
                out |= std::uint32_t(c - '0');
            else if (c >= 'a' && c <= 'f')
                out |= std::uint32_t(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                out |= std::uint32_t(c - 'A' + 10);
            else
                return false;
        }
        return true;
    }

    // string decodes a JSON string. Raw control bytes are accepted: real loggers emit them, and a
    // lenient read shows the line rather than calling it malformed.
    bool string(std::string &out)
    {
        if (!consume('"'))
            return false;
        while (!atEnd()) {
            // The bytes up to the next quote or backslash are copied at once: most strings have no
            // escape, and the quote is found by a search, not byte by byte.
            std::size_t stop = std::min(m_text.find('"', m_pos), m_text.size());
            stop = std::min(stop, m_text.substr(0, stop).find('\\', m_pos));
            out.append(m_text.substr(m_pos, stop - m_pos));
            m_pos = stop;
            if (atEnd())
                return false;
            if (m_text[m_pos++] == '"')
                return true;
            if (atEnd())
                return false;
            switch (m_text[m_pos++]) {
            case '"':
                out += '"';
                break;
            case '\\':
                out += '\\';
                break;
            case '/':
                out += '/';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u': {
                std::uint32_t cp = 0;
                if (!hex4(cp))
                    return false;
                if (cp >= 0xD800 && cp <= 0xDBFF && m_text.substr(m_pos, 2) == "\\u") {
                    m_pos += 2;
                    std::uint32_t low = 0;
                    if (!hex4(low))
                        return false;
                    cp = low >= 0xDC00 && low <= 0xDFFF ? 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD;
                } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                    cp = 0xFFFD;
                }
                appendUtf8(out, cp);
                break;
            }
            default:
                return false;
            }
        }
        return false;
    }

    bool digits()
    {
        const std::size_t start = m_pos;
        while (!atEnd() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9')
            ++m_pos;
        return m_pos > start;
    }

    bool number()
    {
        consume('-');
        if (!consume('0') && !digits())
            return false;
        if (consume('.') && !digits())
            return false;
        if (consume('e') || consume('E')) {
            if (!consume('+'))
                consume('-');
            if (!digits())
                return false;
        }
        return true;
    }

    // nested skips a balanced object or array, minding strings so "}" inside one does not count.
    bool nested()
    {
        int depth = 0;
        while (!atEnd()) {
            const char c = m_text[m_pos];
            if (c == '"') {
                std::string ignored;
                if (!string(ignored))
                    return false;
                continue;
            }
            ++m_pos;
            if (c == '{' || c == '[')
                ++depth;
            else if ((c == '}' || c == ']') && --depth == 0)
                return true;
        }
        return false;
    }

    bool literal()
    {
        for (std::string_view word : {"true", "false", "null"}) {
            if (m_text.substr(m_pos, word.size()) == word) {
                m_pos += word.size();
                return true;
            }
        }
        return false;
    }

    bool value(JsonMember &member)
    {
        if (atEnd())
            return false;
        const char c = m_text[m_pos];
        if (c == '"') {
            member.isString = true;
            return string(member.value);
        }
        const std::size_t start = m_pos;
        bool ok = false;
        if (c == '{' || c == '[')
            ok = nested();
        else if (c == '-' || (c >= '0' && c <= '9'))
            ok = number();
        else
            ok = literal();
        member.value = std::string(m_text.substr(start, m_pos - start));
        return ok;
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
};

std::optional<std::int64_t> timestampFrom(const std::string &value, bool isString)
{
    if (isString) {
        if (const auto iso = parseIsoTime(value))
            return iso->ms;
    }
    double number = 0;
    const char *begin = value.data();
    const char *end = begin + value.size();
    const auto [stop, ec] = std::from_chars(begin, end, number);
    if (ec == std::errc() && stop == end && !value.empty())
        return epochNumberToMs(number);
    return std::nullopt;
}

} // namespace

LogRecord parseJsonLine(std::string_view line, const LogLineContext &context)
{
    std::vector<JsonMember> members;
    members.reserve(16); // a typical line's members without regrowing
    JsonScanner scanner(line);
    if (!scanner.object(members))
        return malformedLogRecord(line, context);

    LogRecord record = baseLogRecord(line, context);
    line = record.raw; // it may have moved there (LogLineContext::ownedLine)
    static constexpr std::string_view kTime[] = {"ts", "time", "timestamp", "@timestamp"};
    static constexpr std::string_view kLevel[] = {"level", "severity", "lvl", "loglevel"};
    static constexpr std::string_view kMessage[] = {"msg", "message"};
    record.fields.reserve(members.size());
    detail::KeyedFields fields(record, {kTime, kLevel, kMessage});
    for (JsonMember &member : members)
        fields.take(std::move(member.key), std::move(member.value),
                    [string = member.isString](const std::string &value) { return timestampFrom(value, string); });
    fields.finish();
    return record;
}

} // namespace pulse
