// Line grammar of the exposition formats (see exposition_lexer.h). Hot path: a sample line is scanned
// once, left to right, with views into the line; only escaped label values are copied, into the
// line's scratch buffer.
#include "core/exposition_lexer.h"

#include "core/exposition_number.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace pulse::expo {

namespace {

enum : std::uint8_t {
    kMetricStart = 1, // [a-zA-Z_:]
    kMetricChar = 2,  // [a-zA-Z0-9_:]
    kLabelStart = 4,  // [a-zA-Z_]
    kLabelChar = 8,   // [a-zA-Z0-9_]
};

constexpr std::array<std::uint8_t, 256> kCharClass = [] {
    std::array<std::uint8_t, 256> table{};
    for (int c = 0; c < 256; ++c) {
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        const bool digit = c >= '0' && c <= '9';
        std::uint8_t bits = 0;
        if (alpha || c == ':')
            bits |= kMetricStart | kMetricChar;
        if (digit)
            bits |= kMetricChar | kLabelChar;
        if (alpha)
            bits |= kLabelStart | kLabelChar;
        table[static_cast<std::size_t>(c)] = bits;
    }
    return table;
}();

bool hasClass(char c, std::uint8_t bits)
{
    return (kCharClass[static_cast<unsigned char>(c)] & bits) != 0;
}

// scanName returns the end of a name starting at pos, or pos when there is none.
std::size_t scanName(std::string_view s, std::size_t pos, std::uint8_t start, std::uint8_t rest)
{
    if (pos >= s.size() || !hasClass(s[pos], start))
        return pos;
    ++pos;
    while (pos < s.size() && hasClass(s[pos], rest))
        ++pos;
    return pos;
}

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

std::size_t countCodePoints(std::string_view s)
{
    std::size_t n = 0;
    for (char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

// LineLexer walks one sample line. In OpenMetrics mode separators are exactly one space and
// skipBlanks() does nothing; in text mode it skips any run of spaces and tabs, as Prometheus does.
class LineLexer {
public:
    LineLexer(std::string_view line, ExpositionFormat format, LineScratch &scratch)
        : m_line(line), m_strict(format == ExpositionFormat::OpenMetrics), m_scratch(scratch)
    {
    }

    Result<void> lexSample(SampleLine &out);

private:
    bool atEnd() const { return m_pos >= m_line.size(); }
    char peek() const { return m_line[m_pos]; }
    bool consume(char c)
    {
        if (atEnd() || peek() != c)
            return false;
        ++m_pos;
        return true;
    }
    void skipBlanks()
    {
        if (!m_strict)
            while (!atEnd() && isBlank(peek()))
                ++m_pos;
    }
    // found renders what the lexer sees at the current position, for "expected X, got Y" messages.
    std::string found() const
    {
        return atEnd() ? std::string("end of line") : quoteForMessage(m_line.substr(m_pos, 16));
    }
    // takeToken takes bytes up to the next separator: a space in OpenMetrics, a blank or '{' in the
    // text format (Prometheus's value token is [^{ \t\n]+).
    std::string_view takeToken()
    {
        const std::size_t start = m_pos;
        while (!atEnd() && !(peek() == ' ' || (!m_strict && (peek() == '\t' || peek() == '{'))))
            ++m_pos;
        return m_line.substr(start, m_pos - start);
    }

    Result<void> lexLabels(std::vector<LabelView> &labels);
    Result<std::string_view> lexLabelValue(std::string_view labelName);
    Result<void> lexOpenMetricsTail(SampleLine &out);
    Result<void> lexTextTail(SampleLine &out);
    Result<void> lexExemplar(SampleLine &out);

    std::string_view m_line;
    std::size_t m_pos = 0;
    bool m_strict;
    LineScratch &m_scratch;
};

Result<void> LineLexer::lexSample(SampleLine &out)
{
    out = SampleLine{};
    m_scratch.labels.clear();
    m_scratch.exemplarLabels.clear();
    m_scratch.unescaped.clear();
    if (m_scratch.unescaped.capacity() < m_line.size())
        m_scratch.unescaped.reserve(m_line.size());

    skipBlanks();
    const std::size_t nameEnd = scanName(m_line, m_pos, kMetricStart, kMetricChar);
    if (nameEnd == m_pos)
        return fail("expected a metric name, got " + found());
    out.name = m_line.substr(m_pos, nameEnd - m_pos);
    m_pos = nameEnd;
    skipBlanks();
    if (consume('{')) {
        if (auto r = lexLabels(m_scratch.labels); !r)
            return r;
    }
    out.labels = m_scratch.labels;
    return m_strict ? lexOpenMetricsTail(out) : lexTextTail(out);
}

// Called after '{'. Sorts the labels by name, which also exposes repeated names.
Result<void> LineLexer::lexLabels(std::vector<LabelView> &labels)
{
    skipBlanks();
    if (consume('}'))
        return {};
    bool afterComma = false;
    for (;;) {
        const std::size_t nameEnd = scanName(m_line, m_pos, kLabelStart, kLabelChar);
        if (nameEnd == m_pos) {
            return fail(std::string(afterComma ? "expected a label name after ','" : "expected a label name or '}'")
                        + ", got " + found());
        }
        const std::string_view name = m_line.substr(m_pos, nameEnd - m_pos);
        m_pos = nameEnd;
        skipBlanks();
        if (!consume('='))
            return fail("expected '=' after label name \"" + std::string(name) + "\", got " + found());
        skipBlanks();
        if (!consume('"'))
            return fail("expected '\"' to open the value of label \"" + std::string(name) + "\", got " + found());
        auto value = lexLabelValue(name);
        if (!value)
            return std::unexpected(value.error());
        labels.push_back(LabelView{name, *value});
        skipBlanks();
        if (consume(',')) {
            skipBlanks();
            // Prometheus's text parser allows a trailing comma; OpenMetrics does not.
            if (!m_strict && consume('}'))
                break;
            afterComma = true;
            continue;
        }
        if (consume('}'))
            break;
        return fail("expected ',' or '}' after the value of label \"" + std::string(name) + "\", got " + found());
    }
    // Insertion sort: label sets are short and often already sorted.
    for (std::size_t i = 1; i < labels.size(); ++i) {
        const LabelView item = labels[i];
        std::size_t j = i;
        for (; j > 0 && labels[j - 1].name > item.name; --j)
            labels[j] = labels[j - 1];
        labels[j] = item;
    }
    for (std::size_t i = 1; i < labels.size(); ++i) {
        if (labels[i].name == labels[i - 1].name)
            return fail("label \"" + std::string(labels[i].name) + "\" appears twice");
    }
    return {};
}

// Called after the opening quote; leaves the position after the closing quote.
Result<std::string_view> LineLexer::lexLabelValue(std::string_view labelName)
{
    const char *begin = m_line.data() + m_pos;
    const std::size_t rest = m_line.size() - m_pos;
    const void *quote = std::memchr(begin, '"', rest);
    const std::size_t quoteAt = quote ? static_cast<std::size_t>(static_cast<const char *>(quote) - begin) : rest;
    std::string_view value;
    if (!std::memchr(begin, '\\', quoteAt)) {
        if (!quote)
            return fail("the value of label \"" + std::string(labelName) + "\" has no closing '\"'");
        value = std::string_view(begin, quoteAt);
        m_pos += quoteAt + 1;
    } else {
        // Escapes: copy into the scratch buffer, which was reserved for the whole line.
        std::string &buffer = m_scratch.unescaped;
        const std::size_t start = buffer.size();
        bool closed = false;
        while (!atEnd()) {
            const char c = m_line[m_pos++];
            if (c == '"') {
                closed = true;
                break;
            }
            if (c != '\\') {
                buffer.push_back(c);
                continue;
            }
            if (atEnd())
                break;
            const char e = m_line[m_pos++];
            if (e == 'n')
                buffer.push_back('\n');
            else if (e == '\\' || e == '"')
                buffer.push_back(e);
            else {
                buffer.push_back('\\');
                buffer.push_back(e);
            }
        }
        if (!closed)
            return fail("the value of label \"" + std::string(labelName) + "\" has no closing '\"'");
        value = std::string_view(buffer).substr(start);
    }
    if (!isValidUtf8(value))
        return fail("the value of label \"" + std::string(labelName) + "\" is not valid UTF-8");
    return value;
}

Result<void> LineLexer::lexOpenMetricsTail(SampleLine &out)
{
    if (!consume(' '))
        return fail("expected ' ' and a value after \"" + std::string(out.name) + "\" or its labels, got " + found());
    out.valueText = takeToken();
    if (out.valueText.empty())
        return fail("expected a value after a single ' ', got " + found());
    const auto value = parseSampleValue(out.valueText);
    if (!value)
        return fail("invalid value " + quoteForMessage(out.valueText));
    out.value = *value;
    if (atEnd())
        return {};
    consume(' ');
    if (!atEnd() && peek() == '#')
        return lexExemplar(out);
    out.timestampText = takeToken();
    if (out.timestampText.empty())
        return fail("expected a timestamp or \"# {\" after the value, got " + found());
    const auto seconds = parseRealNumber(out.timestampText);
    if (!seconds)
        return fail("invalid timestamp " + quoteForMessage(out.timestampText) + "; expected seconds as a decimal number");
    out.hasTimestamp = true;
    out.timestampSeconds = *seconds;
    out.timestampMs = secondsToMillis(*seconds);
    if (atEnd())
        return {};
    consume(' ');
    if (!atEnd() && peek() == '#')
        return lexExemplar(out);
    return fail("expected end of line or an exemplar after the timestamp, got " + found());
}

// Exemplar: "# {labels} value [timestamp]" up to the end of the line.
Result<void> LineLexer::lexExemplar(SampleLine &out)
{
    if (!consume('#') || !consume(' ') || !consume('{'))
        return fail("expected an exemplar \"# {labels} value\", got " + found());
    if (auto r = lexLabels(m_scratch.exemplarLabels); !r)
        return fail("in exemplar: " + r.error().message);
    std::size_t chars = 0;
    for (const LabelView &l : m_scratch.exemplarLabels)
        chars += countCodePoints(l.name) + countCodePoints(l.value);
    if (chars > 128) {
        return fail("exemplar labels have " + std::to_string(chars)
                    + " characters; OpenMetrics allows at most 128 (names and values together)");
    }
    out.exemplarLabels = m_scratch.exemplarLabels;
    if (!consume(' '))
        return fail("expected ' ' and a value after the exemplar's labels, got " + found());
    const std::string_view valueText = takeToken();
    const auto value = parseSampleValue(valueText);
    if (!value)
        return fail("invalid exemplar value " + quoteForMessage(valueText));
    out.exemplarValue = *value;
    out.hasExemplar = true;
    if (atEnd())
        return {};
    consume(' ');
    const std::string_view tsText = takeToken();
    const auto seconds = parseRealNumber(tsText);
    if (!seconds)
        return fail("invalid exemplar timestamp " + quoteForMessage(tsText) + "; expected seconds as a decimal number");
    out.exemplarHasTimestamp = true;
    out.exemplarTimestampMs = secondsToMillis(*seconds);
    if (!atEnd())
        return fail("expected end of line after the exemplar's timestamp, got " + found());
    return {};
}

Result<void> LineLexer::lexTextTail(SampleLine &out)
{
    skipBlanks();
    out.valueText = takeToken();
    if (out.valueText.empty())
        return fail("expected a value after \"" + std::string(out.name) + "\" or its labels, got " + found());
    const auto value = parseSampleValue(out.valueText);
    if (!value)
        return fail("invalid value " + quoteForMessage(out.valueText));
    out.value = *value;
    skipBlanks();
    if (atEnd())
        return {};
    const std::size_t tsStart = m_pos;
    while (!atEnd() && !isBlank(peek()))
        ++m_pos;
    out.timestampText = m_line.substr(tsStart, m_pos - tsStart);
    const auto millis = parseMillisTimestamp(out.timestampText);
    if (!millis) {
        return fail("expected a timestamp in integer milliseconds or end of line after the value, got "
                    + quoteForMessage(out.timestampText));
    }
    out.hasTimestamp = true;
    out.timestampMs = *millis;
    out.timestampSeconds = static_cast<double>(*millis) / 1000.0;
    skipBlanks();
    if (!atEnd())
        return fail("expected end of line after the timestamp, got " + found());
    return {};
}

Result<std::optional<MetadataLine>> lexOpenMetricsComment(std::string_view line)
{
    MetadataKind kind;
    const std::string_view keyword = line.substr(0, 6);
    if (keyword == "# HELP")
        kind = MetadataKind::Help;
    else if (keyword == "# TYPE")
        kind = MetadataKind::Type;
    else if (keyword == "# UNIT")
        kind = MetadataKind::Unit;
    else
        return fail("expected \"# HELP\", \"# TYPE\", \"# UNIT\" or \"# EOF\", got " + quoteForMessage(line));
    std::string_view rest = line.substr(6);
    const std::size_t nameEnd = scanName(rest, 1, kMetricStart, kMetricChar);
    if (rest.empty() || rest[0] != ' ' || nameEnd == 1)
        return fail("expected ' ' and a metric name after \"" + std::string(keyword) + "\"");
    const std::string_view name = rest.substr(1, nameEnd - 1);
    rest.remove_prefix(nameEnd);
    if (rest.empty() || rest[0] != ' ') {
        static constexpr const char *kWhat[] = {"the help text", "a type", "a unit"};
        return fail("expected ' ' and " + std::string(kWhat[static_cast<int>(kind)]) + " after \"" + std::string(name)
                    + "\", got " + (rest.empty() ? std::string("end of line") : quoteForMessage(rest)));
    }
    const std::string_view text = rest.substr(1);
    if (kind == MetadataKind::Help && !isValidUtf8(text))
        return fail("the help text of \"" + std::string(name) + "\" is not valid UTF-8");
    if (kind == MetadataKind::Unit && scanName(text, 0, kMetricChar, kMetricChar) != text.size())
        return fail("invalid unit " + quoteForMessage(text) + " for \"" + std::string(name) + "\"");
    return MetadataLine{kind, name, text};
}

Result<std::optional<MetadataLine>> lexTextComment(std::string_view line)
{
    // As Prometheus's lexer: "#", blanks, then HELP or TYPE and blanks make metadata; anything else
    // is a comment.
    std::size_t pos = 1;
    while (pos < line.size() && isBlank(line[pos]))
        ++pos;
    if (pos == 1)
        return std::nullopt;
    const std::string_view keyword = line.substr(pos, 4);
    if ((keyword != "HELP" && keyword != "TYPE") || pos + 4 >= line.size() || !isBlank(line[pos + 4]))
        return std::nullopt;
    const MetadataKind kind = keyword == "HELP" ? MetadataKind::Help : MetadataKind::Type;
    pos += 4;
    while (pos < line.size() && isBlank(line[pos]))
        ++pos;
    const std::size_t nameEnd = scanName(line, pos, kMetricStart, kMetricChar);
    if (nameEnd == pos)
        return fail("expected a metric name after " + std::string(keyword) + ", got " + quoteForMessage(line.substr(pos)));
    const std::string_view name = line.substr(pos, nameEnd - pos);
    pos = nameEnd;
    if (pos < line.size() && !isBlank(line[pos]))
        return fail("expected a blank after metric name \"" + std::string(name) + "\", got " + quoteForMessage(line.substr(pos)));
    std::string_view text = pos < line.size() ? line.substr(pos + 1) : std::string_view();
    if (kind == MetadataKind::Type) {
        while (!text.empty() && isBlank(text.front()))
            text.remove_prefix(1);
        while (!text.empty() && isBlank(text.back()))
            text.remove_suffix(1);
    } else if (!isValidUtf8(text)) {
        return fail("the help text of \"" + std::string(name) + "\" is not valid UTF-8");
    }
    return MetadataLine{kind, name, text};
}

} // namespace

Result<void> lexSampleLine(std::string_view line, ExpositionFormat format, LineScratch &scratch, SampleLine &out)
{
    return LineLexer(line, format, scratch).lexSample(out);
}

Result<std::optional<MetadataLine>> lexCommentLine(std::string_view line, ExpositionFormat format)
{
    return format == ExpositionFormat::OpenMetrics ? lexOpenMetricsComment(line) : lexTextComment(line);
}

} // namespace pulse::expo
