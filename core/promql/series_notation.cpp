// Parsing of the expanding series notation used by `load` blocks and expected results.
#include "core/promql/series_notation.h"

#include "core/base/history_reader.h"
#include "core/promql/lexer.h"

#include <cctype>
#include <cstdlib>
#include <limits>

namespace pulse::promql {
namespace {

bool isNameChar(char c, bool first)
{
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    return alpha || (!first && c >= '0' && c <= '9');
}

std::string lowerCase(std::string_view text)
{
    std::string out;
    for (char c : text)
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// numberLength returns the length of an unsigned number (digits, '.', exponent, or Inf/NaN) at the
// start of `text`.
std::size_t numberLength(std::string_view text)
{
    const std::string low = lowerCase(text.substr(0, 3));
    if (low == "inf" || low == "nan")
        return 3;
    std::size_t i = 0;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
        ++i;
    if (i > 0 && i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        std::size_t j = i + 1;
        if (j < text.size() && (text[j] == '+' || text[j] == '-'))
            ++j;
        if (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) {
            while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j])))
                ++j;
            i = j;
        }
    }
    return i;
}

std::optional<std::size_t> parseCount(std::string_view text)
{
    if (text.empty() || text.size() > 9)
        return std::nullopt;
    std::size_t n = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    // `1x999999999` would be 16 GB of values from 11 bytes of a test file.
    if (n > kMaxSeriesValues)
        return std::nullopt;
    return n;
}

Result<std::vector<std::optional<double>>> expandItem(std::string_view item)
{
    using Values = std::vector<std::optional<double>>;
    if (item == "_")
        return Values{std::nullopt};
    if (item.starts_with("_x")) {
        const auto n = parseCount(item.substr(2));
        if (!n)
            return fail("bad repetition in \"" + std::string(item) + "\"");
        return Values(*n, std::nullopt);
    }
    if (item == "stale")
        return Values{staleMarker()};
    std::size_t pos = 0;
    if (pos < item.size() && (item[pos] == '+' || item[pos] == '-'))
        ++pos;
    pos += numberLength(item.substr(pos));
    const auto start = parseGoFloat(item.substr(0, pos));
    if (!start)
        return fail("bad value \"" + std::string(item) + "\"");
    const std::string_view rest = item.substr(pos);
    if (rest.empty())
        return Values{*start};
    if (rest.front() == 'x') {
        const auto n = parseCount(rest.substr(1));
        if (!n)
            return fail("bad repetition in \"" + std::string(item) + "\"");
        return Values(*n + 1, *start);
    }
    if (rest.front() != '+' && rest.front() != '-')
        return fail("bad value \"" + std::string(item) + "\"");
    const std::size_t incLen = 1 + numberLength(rest.substr(1));
    const auto increment = parseGoFloat(rest.substr(0, incLen));
    if (!increment || incLen >= rest.size() || rest[incLen] != 'x')
        return fail("bad value \"" + std::string(item) + "\"");
    const auto n = parseCount(rest.substr(incLen + 1));
    if (!n)
        return fail("bad repetition in \"" + std::string(item) + "\"");
    Values out{*start};
    double v = *start;
    for (std::size_t i = 1; i <= *n; ++i) {
        v += *increment; // repeated addition, as Prometheus does, so rounding matches
        out.emplace_back(v);
    }
    return out;
}

} // namespace

std::optional<double> parseGoFloat(std::string_view text)
{
    std::string_view body = text;
    double sign = 1;
    if (!body.empty() && (body.front() == '+' || body.front() == '-')) {
        sign = body.front() == '-' ? -1 : 1;
        body.remove_prefix(1);
    }
    const std::string low = lowerCase(body);
    if (low == "inf" || low == "infinity")
        return sign * std::numeric_limits<double>::infinity();
    if (low == "nan")
        return std::numeric_limits<double>::quiet_NaN();
    if (body.empty() || !(std::isdigit(static_cast<unsigned char>(body.front())) || body.front() == '.'))
        return std::nullopt;
    const std::string s(body);
    char *end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size() || low.find_first_of("xpin") != std::string::npos)
        return std::nullopt;
    return sign * v;
}

Result<SeriesLine> parseSeriesLine(std::string_view line)
{
    SeriesLine out;
    std::size_t pos = 0;
    while (pos < line.size() && isNameChar(line[pos], pos == 0))
        ++pos;
    out.metric = std::string(line.substr(0, pos));
    if (pos < line.size() && line[pos] == '{') {
        ++pos;
        for (;;) {
            while (pos < line.size() && (line[pos] == ' ' || line[pos] == ','))
                ++pos;
            if (pos < line.size() && line[pos] == '}') {
                ++pos;
                break;
            }
            const std::size_t nameStart = pos;
            while (pos < line.size() && isNameChar(line[pos], pos == nameStart) && line[pos] != ':')
                ++pos;
            const std::string name(line.substr(nameStart, pos - nameStart));
            while (pos < line.size() && line[pos] == ' ')
                ++pos;
            if (name.empty() || pos >= line.size() || line[pos] != '=')
                return fail("expected label=\"value\" at offset " + std::to_string(pos));
            ++pos;
            while (pos < line.size() && line[pos] == ' ')
                ++pos;
            if (pos >= line.size() || (line[pos] != '"' && line[pos] != '\''))
                return fail("expected a quoted label value at offset " + std::to_string(pos));
            const char quote = line[pos];
            std::size_t end = pos + 1;
            while (end < line.size() && line[end] != quote)
                end += line[end] == '\\' ? 2 : 1;
            if (end >= line.size())
                return fail("unterminated label value");
            auto value = unquoteString(line.substr(pos + 1, end - pos - 1), quote);
            if (!value)
                return fail(value.error());
            if (name == "__name__")
                out.metric = *value;
            else
                out.labels.set(name, *value);
            pos = end + 1;
        }
    }
    while (pos < line.size()) {
        while (pos < line.size() && std::isspace(static_cast<unsigned char>(line[pos])))
            ++pos;
        const std::size_t start = pos;
        while (pos < line.size() && !std::isspace(static_cast<unsigned char>(line[pos])))
            ++pos;
        if (start == pos)
            break;
        auto values = expandItem(line.substr(start, pos - start));
        if (!values)
            return std::unexpected(values.error());
        if (out.values.size() + values->size() > kMaxSeriesValues)
            return fail("the series expands to more than " + std::to_string(kMaxSeriesValues) + " values");
        out.values.insert(out.values.end(), values->begin(), values->end());
    }
    return out;
}

} // namespace pulse::promql
