// Formula-safe CSV fields.
#include "core/csv/csv_writer.h"

#include <charconv>
#include <cmath>

namespace pulse {
namespace {

// isPlainNumber: a decimal a spreadsheet reads as a number ("-1.5", "-2e3"); not "-Inf" or "-nan".
bool isPlainNumber(std::string_view s)
{
    const std::size_t first = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    if (first >= s.size() || !((s[first] >= '0' && s[first] <= '9') || s[first] == '.'))
        return false;
    double d = 0;
    const auto *end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(s.data(), end, d);
    return ec == std::errc() && ptr == end;
}

} // namespace

std::string csvField(std::string_view value)
{
    std::string text;
    text.reserve(value.size() + 1);
    const bool risky = !value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' ||
                                          value[0] == '@' || value[0] == '\t' || value[0] == '\r');
    if (risky && !isPlainNumber(value))
        text.push_back('\'');
    text.append(value.data(), value.size());
    const bool quote = text.find_first_of(",\"\r\n'") != std::string::npos;
    if (!quote)
        return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string csvRow(std::span<const std::string> fields)
{
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i)
            out += ',';
        out += csvField(fields[i]);
    }
    out += "\r\n";
    return out;
}

std::string csvNumber(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    char buf[32];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value);
    return ec == std::errc() ? std::string(buf, ptr) : std::string("NaN");
}

} // namespace pulse
