// Sample lines of the exposition formats (see exposition_lexer.h; comment lines are in
// exposition_comment.cpp). Hot path: a sample line is scanned once, left to right, with views into the
// line; only escaped label values are copied, into the line's scratch buffer.
#include "core/exposition/exposition_lexer.h"

#include "core/exposition/exposition_number.h"
#include "core/exposition/exposition_scan.h"

#include <algorithm>
#include <cstring>
#include <optional>

namespace pulse::expo {

namespace {

// compareNames orders label names as string_view::compare does. Label names are short and usually
// differ in their first byte, where a call to memcmp would cost more than the comparison.
int compareNames(std::string_view a, std::string_view b)
{
    const std::size_t common = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < common; ++i) {
        if (a[i] != b[i])
            return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]) ? -1 : 1;
    }
    return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
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

    Result<void> lexSample(SampleLine &out, std::string_view previousName);

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
        const std::uint8_t tokenEnd = m_strict ? kSpace : kTextTokenEnd;
        const std::size_t start = m_pos;
        std::size_t pos = start;
        while (pos < m_line.size() && !hasClass(m_line[pos], tokenEnd))
            ++pos;
        m_pos = pos;
        return m_line.substr(start, pos - start);
    }

    Result<void> lexLabels(std::vector<LabelView> &labels);
    Result<std::string_view> lexLabelValue(std::string_view labelName, std::size_t plainEnd);
    std::optional<std::string_view> unescapeLabelValue(std::size_t firstEscape);
    Result<void> lexOpenMetricsTail(SampleLine &out);
    Result<void> lexTextTail(SampleLine &out);
    Result<void> lexExemplar(SampleLine &out);

    std::string_view m_line;
    std::size_t m_pos = 0;
    bool m_strict;
    LineScratch &m_scratch;
};

Result<void> LineLexer::lexSample(SampleLine &out, std::string_view previousName)
{
    out = SampleLine{};
    m_scratch.labels.clear();
    m_scratch.exemplarLabels.clear();
    m_scratch.unescapedSize = 0;

    skipBlanks();
    std::size_t nameEnd = m_pos + previousName.size();
    out.repeatsName = !previousName.empty() && m_line.substr(m_pos).starts_with(previousName)
                      && (nameEnd == m_line.size() || !hasClass(m_line[nameEnd], kMetricChar));
    if (!out.repeatsName)
        nameEnd = scanName(m_line, m_pos, kMetricStart, kMetricChar);
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
    // The hot loop of the parser. It walks a local pointer rather than m_pos: the compiler must assume
    // that stores into the label vector may change members, and would reload them around every byte.
    // It stays one function on purpose: split, the pointer would go back to a member (or through
    // references) between the pieces, which is exactly the reload this avoids.
    const char *const begin = m_line.data();
    const char *const end = begin + m_line.size();
    const char *p = begin + m_pos;
    const bool blanks = !m_strict;
    // accept(c) steps over c, in the text format also over blanks before it. Blanks are rare, so
    // they are looked for only when c is not there; on failure p is after the blanks.
    const auto accept = [&](char c) {
        if (p < end && *p == c) {
            ++p;
            return true;
        }
        if (!blanks)
            return false;
        while (p < end && isBlank(*p))
            ++p;
        if (p < end && *p == c) {
            ++p;
            return true;
        }
        return false;
    };
    // failHere ends message (which ends in "got ") with what the lexer sees at p.
    const auto failHere = [&](std::string message) {
        m_pos = static_cast<std::size_t>(p - begin);
        return fail(std::move(message) + found());
    };

    if (accept('}')) {
        m_pos = static_cast<std::size_t>(p - begin);
        return {};
    }
    bool afterComma = false;
    for (;;) {
        const char *const nameStart = p;
        if (p < end && hasClass(*p, kLabelStart)) {
            ++p;
            while (p < end && hasClass(*p, kLabelChar))
                ++p;
        }
        if (p == nameStart) {
            return failHere(std::string(afterComma ? "expected a label name after ','" : "expected a label name or '}'")
                            + ", got ");
        }
        const std::string_view name(nameStart, static_cast<std::size_t>(p - nameStart));
        if (!accept('='))
            return failHere("expected '=' after label name \"" + std::string(name) + "\", got ");
        if (!accept('"'))
            return failHere("expected '\"' to open the value of label \"" + std::string(name) + "\", got ");
        // Plain ASCII up to the closing quote, the usual case: a view into the line, valid UTF-8.
        const std::string_view rest(p, static_cast<std::size_t>(end - p));
        const std::size_t plainEnd = findPlainEnd(rest);
        if (plainEnd < rest.size() && rest[plainEnd] == '"') [[likely]] {
            labels.push_back(LabelView{name, rest.substr(0, plainEnd)});
            p += plainEnd + 1;
        } else {
            m_pos = static_cast<std::size_t>(p - begin);
            auto value = lexLabelValue(name, plainEnd);
            if (!value)
                return std::unexpected(value.error());
            labels.push_back(LabelView{name, *value});
            p = begin + m_pos;
        }
        if (accept(',')) {
            // Prometheus's text parser allows a trailing comma; OpenMetrics does not.
            if (blanks && accept('}'))
                break;
            afterComma = true;
            continue;
        }
        if (p < end && *p == '}') {
            ++p;
            break;
        }
        return failHere("expected ',' or '}' after the value of label \"" + std::string(name) + "\", got ");
    }
    m_pos = static_cast<std::size_t>(p - begin);
    // Insertion sort: label sets are short and often already sorted. A repeated name meets its twin
    // on the way, since the sorted part holds it right before where the item goes.
    bool repeated = false;
    for (std::size_t i = 1; i < labels.size(); ++i) {
        const LabelView item = labels[i];
        std::size_t j = i;
        for (; j > 0; --j) {
            const int order = compareNames(labels[j - 1].name, item.name);
            if (order <= 0) {
                repeated = repeated || order == 0;
                break;
            }
            labels[j] = labels[j - 1];
        }
        labels[j] = item;
    }
    if (!repeated)
        return {};
    // Name the first repeated label in sorted order, as the message always has.
    for (std::size_t i = 1; i < labels.size(); ++i) {
        if (labels[i].name == labels[i - 1].name)
            return fail("label \"" + std::string(labels[i].name) + "\" appears twice");
    }
    return {};
}

// lexLabelValue reads a value that is not plain ASCII up to its quote (lexLabels reads those): it has
// escapes or other bytes, or no closing quote. Called after the opening quote, with plainEnd the index
// of the first quote, backslash or non-ASCII byte after it; leaves the position after the closing quote.
Result<std::string_view> LineLexer::lexLabelValue(std::string_view labelName, std::size_t plainEnd)
{
    const std::string_view rest = m_line.substr(m_pos);
    // The first quote or backslash says whether there are escapes to resolve.
    const std::size_t special = plainEnd + findQuoteOrBackslash(rest.substr(plainEnd));
    std::optional<std::string_view> value;
    if (special < rest.size() && rest[special] == '"') {
        value = rest.substr(0, special);
        m_pos += special + 1;
    } else if (special < rest.size()) {
        value = unescapeLabelValue(special);
    }
    if (!value)
        return fail("the value of label \"" + std::string(labelName) + "\" has no closing '\"'");
    if (!isValidUtf8(*value))
        return fail("the value of label \"" + std::string(labelName) + "\" is not valid UTF-8");
    return *value;
}

// unescapeLabelValue copies the value at the position into the scratch buffer, resolving \\, \" and \n;
// other backslashes stay as written. firstEscape is the index of the value's first backslash. Leaves
// the position after the closing quote, or returns nullopt when the line ends first.
std::optional<std::string_view> LineLexer::unescapeLabelValue(std::size_t firstEscape)
{
    // The buffer is sized to the line before the first write, so it never moves while the line's
    // values point into it: a value is never longer than the line.
    std::string &buffer = m_scratch.unescaped;
    if (buffer.size() < m_line.size())
        buffer.resize(m_line.size());
    char *const start = buffer.data() + m_scratch.unescapedSize;
    char *out = start;
    const char *in = m_line.data() + m_pos;
    const char *const end = m_line.data() + m_line.size();
    for (const char *plainEnd = in + firstEscape; in < plainEnd;)
        *out++ = *in++;
    for (;;) {
        // At a quote or a backslash.
        if (*in++ == '"') {
            m_pos = static_cast<std::size_t>(in - m_line.data());
            m_scratch.unescapedSize += static_cast<std::size_t>(out - start);
            return std::string_view(start, static_cast<std::size_t>(out - start));
        }
        if (in == end) // a backslash that ends the line
            return std::nullopt;
        const char e = *in++;
        if (e == 'n') {
            *out++ = '\n';
        } else if (e == '\\' || e == '"') {
            *out++ = e;
        } else {
            *out++ = '\\';
            *out++ = e;
        }
        // Runs between escapes are short: a byte loop beats finding their end first.
        while (in < end && *in != '"' && *in != '\\')
            *out++ = *in++;
        if (in == end)
            return std::nullopt;
    }
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

} // namespace

Result<void> lexSampleLine(std::string_view line, ExpositionFormat format, LineScratch &scratch, SampleLine &out,
                           std::string_view previousName)
{
    return LineLexer(line, format, scratch).lexSample(out, previousName);
}

} // namespace pulse::expo
