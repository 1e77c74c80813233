// Prometheus's humanize* template functions (template/template.go), re-implemented from their
// documented behaviour: four significant digits, SI or binary prefixes, d/h/m/s for durations.
#include "core/alerting/humanize.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace pulse {
namespace {

/// g4 is C's "%.4g" (which Go's "%.4g" matches for finite values).
std::string g4(double value)
{
    std::array<char, 64> buffer{};
    const int n = std::snprintf(buffer.data(), buffer.size(), "%.4g", value);
    return {buffer.data(), static_cast<std::size_t>(n)};
}

bool isSpecial(double value)
{
    return std::isnan(value) || std::isinf(value);
}

using Prefixes = std::array<std::string_view, 8>;
constexpr Prefixes kLarge = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
constexpr Prefixes kBinary = {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};
constexpr Prefixes kSmall = {"m", "u", "n", "p", "f", "a", "z", "y"};

/// scaledDown divides by `base` while |value| >= base, naming each step with the next prefix.
std::string scaledDown(double value, double base, const Prefixes &prefixes)
{
    std::string_view prefix;
    for (const auto p : prefixes) {
        if (std::fabs(value) < base)
            break;
        prefix = p;
        value /= base;
    }
    return g4(value) + std::string(prefix);
}

/// scaledUp multiplies by 1000 while |value| < 1, naming each step with the next prefix.
std::string scaledUp(double value)
{
    std::string_view prefix;
    for (const auto p : kSmall) {
        if (std::fabs(value) >= 1)
            break;
        prefix = p;
        value *= 1000;
    }
    return g4(value) + std::string(prefix);
}

} // namespace

std::string goFloat(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    if (value == 0)
        return std::signbit(value) ? "-0" : "0";
    const double magnitude = std::fabs(value);
    const auto format = (magnitude < 1e-4 || magnitude >= 1e21) ? std::chars_format::scientific
                                                                 : std::chars_format::fixed;
    std::array<char, 64> buffer{};
    const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, format);
    std::string text(buffer.data(), ec == std::errc{} ? end : buffer.data());
    // C++ writes "1e+21" and "1e-05"; Go writes at least two exponent digits too, so they agree.
    return text;
}

std::string humanize(double value)
{
    if (value == 0 || isSpecial(value))
        return g4(value);
    return std::fabs(value) >= 1 ? scaledDown(value, 1000, kLarge) : scaledUp(value);
}

std::string humanize1024(double value)
{
    if (std::fabs(value) <= 1 || isSpecial(value))
        return g4(value);
    return scaledDown(value, 1024, kBinary);
}

std::string humanizePercentage(double value)
{
    return g4(value * 100) + "%";
}

std::string humanizeDuration(double value)
{
    if (isSpecial(value))
        return g4(value);
    if (value == 0)
        return "0s";
    if (std::fabs(value) >= 1) {
        const char *sign = value < 0 ? "-" : "";
        const double v = std::fabs(value);
        const auto whole = static_cast<long long>(v);
        const long long days = whole / 86400;
        const long long hours = whole / 3600 % 24;
        const long long minutes = whole / 60 % 60;
        const long long seconds = whole % 60;
        std::array<char, 96> buffer{};
        int n = 0;
        if (days != 0)
            n = std::snprintf(buffer.data(), buffer.size(), "%s%lldd %lldh %lldm %llds", sign, days, hours, minutes, seconds);
        else if (hours != 0)
            n = std::snprintf(buffer.data(), buffer.size(), "%s%lldh %lldm %llds", sign, hours, minutes, seconds);
        else if (minutes != 0)
            n = std::snprintf(buffer.data(), buffer.size(), "%s%lldm %llds", sign, minutes, seconds);
        else
            return sign + g4(v) + "s";
        return {buffer.data(), static_cast<std::size_t>(n)};
    }
    return scaledUp(value) + "s";
}

} // namespace pulse
