// goPrintf: Go's fmt verbs as alert templates use them, interpreted here (the format comes from the
// config, so it is never handed to C's printf).
#include "core/alerting/go_printf.h"

#include "core/base/labels.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>

namespace pulse {
namespace {

/// FormatSpec is a printf verb's flags, width and precision ("%-8.2f" → left, 8, 2).
struct FormatSpec {
    bool left = false;
    bool plus = false;
    bool space = false;
    bool zero = false;
    int width = -1;
    int precision = -1;
};

/// kMaxWidth is Go's bound on a width or precision: "%999999999d" would otherwise pad a gigabyte.
constexpr long kMaxWidth = 1'000'000;

/// widthTooLarge is true when a width or precision in `spec` (flags, digits, '.') is over kMaxWidth.
bool widthTooLarge(std::string_view spec)
{
    long run = 0;
    for (const char c : spec) {
        if (std::isdigit(static_cast<unsigned char>(c)) == 0) {
            run = 0;
            continue;
        }
        run = run * 10 + (c - '0');
        if (run > kMaxWidth)
            return true;
    }
    return false;
}

FormatSpec parseSpec(std::string_view spec)
{
    FormatSpec f;
    std::size_t i = 0;
    for (; i < spec.size() && std::string_view("-+ 0#").find(spec[i]) != std::string_view::npos; ++i) {
        f.left = f.left || spec[i] == '-';
        f.plus = f.plus || spec[i] == '+';
        f.space = f.space || spec[i] == ' ';
        f.zero = f.zero || spec[i] == '0';
    }
    const auto number = [&](int &out) {
        const std::size_t start = i;
        while (i < spec.size() && std::isdigit(static_cast<unsigned char>(spec[i])) != 0)
            ++i;
        if (i > start)
            std::from_chars(spec.data() + start, spec.data() + i, out);
    };
    number(f.width);
    if (i < spec.size() && spec[i] == '.') {
        ++i;
        f.precision = 0;
        number(f.precision);
    }
    return f;
}

/// formatNumber writes a number for %f %e %g (Go's defaults: precision 6 for f/e, shortest for g).
std::string formatNumber(double v, char verb, const FormatSpec &f)
{
    if (std::isnan(v))
        return "NaN";
    if (std::isinf(v))
        return v > 0 ? "+Inf" : "-Inf";
    const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(verb)));
    const auto format = lower == 'f' ? std::chars_format::fixed
                        : lower == 'e' ? std::chars_format::scientific
                                       : std::chars_format::general;
    std::array<char, 400> buffer{};
    std::to_chars_result r{};
    if (f.precision >= 0)
        r = std::to_chars(buffer.data(), buffer.data() + buffer.size(), v, format, std::min(f.precision, 300));
    else if (lower == 'g')
        r = std::to_chars(buffer.data(), buffer.data() + buffer.size(), v, format);
    else
        r = std::to_chars(buffer.data(), buffer.data() + buffer.size(), v, format, 6);
    std::string text(buffer.data(), r.ec == std::errc{} ? r.ptr : buffer.data());
    if (verb == 'E' || verb == 'G')
        for (auto &c : text)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (v >= 0 && (f.plus || f.space))
        text.insert(text.begin(), f.plus ? '+' : ' ');
    return text;
}

std::string pad(std::string text, const FormatSpec &f, bool numeric)
{
    if (f.width < 0 || text.size() >= static_cast<std::size_t>(f.width))
        return text;
    const std::size_t fill = static_cast<std::size_t>(f.width) - text.size();
    if (f.left)
        return text + std::string(fill, ' ');
    if (f.zero && numeric) {
        const std::size_t signs = (!text.empty() && (text[0] == '-' || text[0] == '+' || text[0] == ' ')) ? 1 : 0;
        return text.insert(signs, fill, '0');
    }
    return std::string(fill, ' ') + text;
}

} // namespace

std::string goPrintf(std::string_view format, std::span<const PrintfArg> args)
{
    std::string out;
    std::size_t next = 0;
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%') {
            out += format[i];
            continue;
        }
        std::size_t j = i + 1;
        while (j < format.size() && std::string_view("+-# 0123456789.").find(format[j]) != std::string_view::npos)
            ++j;
        if (j == format.size()) {
            out += "%!(NOVERB)";
            break;
        }
        if (widthTooLarge(format.substr(i + 1, j - i - 1))) {
            out += "%!(NOVERB)"; // Go's fmt stops at a width or precision over 1e6 the same way
            break;
        }
        const char verb = format[j];
        const FormatSpec spec = parseSpec(format.substr(i + 1, j - i - 1));
        i = j;
        if (verb == '%') {
            out += '%';
            continue;
        }
        if (next >= args.size()) {
            out += "%!" + std::string(1, verb) + "(MISSING)";
            continue;
        }
        const PrintfArg &arg = args[next++];
        const auto &number = arg.number;
        if (std::string_view("feEgGF").find(verb) != std::string_view::npos && number) {
            out += pad(formatNumber(*number, verb, spec), spec, true);
        } else if (verb == 'd' && number && std::trunc(*number) == *number && std::fabs(*number) < 9e18) {
            std::string text = std::to_string(static_cast<long long>(*number));
            if (*number >= 0 && spec.plus)
                text.insert(text.begin(), '+');
            out += pad(std::move(text), spec, true);
        } else if (verb == 's' || verb == 'v') {
            std::string text = arg.text;
            if (spec.precision >= 0 && text.size() > static_cast<std::size_t>(spec.precision))
                text.resize(static_cast<std::size_t>(spec.precision));
            out += pad(std::move(text), spec, false);
        } else if (verb == 'q') {
            out += pad('"' + escapeLabelValue(arg.text) + '"', spec, false);
        } else {
            out += "%!" + std::string(1, verb) + "(" + arg.text + ")";
        }
    }
    return out;
}


} // namespace pulse
