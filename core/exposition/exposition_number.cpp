// Number tokens of the exposition formats: a strict grammar check first, then std::from_chars,
// which on its own would also accept "nan(...)", "infinity" and a missing exponent.
#include "core/exposition/exposition_number.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <system_error>

namespace pulse::expo {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool equalsIgnoringCase(std::string_view text, std::string_view lowerWord)
{
    if (text.size() != lowerWord.size())
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        if (c != lowerWord[i])
            return false;
    }
    return true;
}

// DecimalShape is what one pass over a decimal token learns: whether it matches
// [sign] (digits [. digits*] | . digits) [(e|E) [sign] digits], and the value as mantissa * 10^exponent
// when the mantissa fits in 19 digits.
struct DecimalShape {
    bool valid = false;
    bool negative = false;
    bool mantissaExact = true;   ///< false when significant digits were dropped
    std::uint64_t mantissa = 0;
    long exponent = 0;           ///< power of ten applied to mantissa
    long leadingExponent = 0;    ///< power of ten of the first significant digit, for range errors
};

DecimalShape scanDecimal(std::string_view s)
{
    DecimalShape shape;
    std::size_t i = 0;
    const std::size_t n = s.size();
    if (i < n && (s[i] == '+' || s[i] == '-'))
        shape.negative = s[i++] == '-';
    long digitsSeen = 0;
    long significant = 0;  // digits counted since the first non-zero one
    long intDigitsAfterLead = 0;
    long fracZerosBeforeLead = 0;
    bool inFraction = false;
    for (; i < n; ++i) {
        const char c = s[i];
        if (c == '.' && !inFraction) {
            inFraction = true;
            continue;
        }
        if (!isDigit(c))
            break;
        ++digitsSeen;
        if (significant == 0 && c == '0') {
            if (inFraction) {
                ++fracZerosBeforeLead;
                --shape.exponent;
            }
            continue;
        }
        ++significant;
        if (!inFraction)
            ++intDigitsAfterLead;
        if (significant <= 19) {
            shape.mantissa = shape.mantissa * 10 + static_cast<std::uint64_t>(c - '0');
            if (inFraction)
                --shape.exponent;
        } else {
            shape.mantissaExact = shape.mantissaExact && c == '0';
            if (!inFraction)
                ++shape.exponent;
        }
    }
    if (digitsSeen == 0)
        return shape;
    long written = 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        bool negative = false;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            negative = s[i++] == '-';
        const std::size_t start = i;
        for (; i < n && isDigit(s[i]); ++i) {
            if (written < 100000)
                written = written * 10 + (s[i] - '0');
        }
        if (i == start)
            return shape;
        if (negative)
            written = -written;
    }
    shape.exponent += written;
    shape.leadingExponent = (intDigitsAfterLead > 0 ? intDigitsAfterLead - 1 : -(fracZerosBeforeLead + 1)) + written;
    shape.valid = i == n;
    return shape;
}

std::optional<double> convertDecimal(std::string_view s)
{
    // Most values are small counts: up to 15 plain digits are below 2^53, so exact as a double.
    if (s.size() <= 15) {
        std::uint64_t digits = 0;
        std::size_t i = 0;
        for (; i < s.size() && isDigit(s[i]); ++i)
            digits = digits * 10 + static_cast<std::uint64_t>(s[i] - '0');
        if (i == s.size() && i > 0)
            return static_cast<double>(digits);
    }
    const DecimalShape shape = scanDecimal(s);
    if (!shape.valid)
        return std::nullopt;
    // Exact fast path: a mantissa below 2^53 and a power of ten up to 1e22 are both exact doubles, so
    // one multiplication or division rounds correctly.
    static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    if (shape.mantissaExact && shape.mantissa < (std::uint64_t{1} << 53) && shape.exponent >= -22
        && shape.exponent <= 22) {
        const auto m = static_cast<double>(shape.mantissa);
        const double v = shape.exponent >= 0 ? m * kPow10[shape.exponent] : m / kPow10[-shape.exponent];
        return shape.negative ? -v : v;
    }
    if (s.front() == '+')
        s.remove_prefix(1); // from_chars takes no plus sign
    double value = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value, std::chars_format::general);
    if (ec == std::errc::result_out_of_range) {
        if (shape.leadingExponent >= 0)
            return std::nullopt;
        return shape.negative ? -0.0 : 0.0;
    }
    if (ec != std::errc() || ptr != s.data() + s.size())
        return std::nullopt;
    return value;
}

} // namespace

std::optional<double> parseSampleValue(std::string_view token)
{
    if (token.empty())
        return std::nullopt;
    if (equalsIgnoringCase(token, "nan"))
        return std::numeric_limits<double>::quiet_NaN();
    std::string_view magnitude = token;
    double sign = 1.0;
    if (magnitude.front() == '+' || magnitude.front() == '-') {
        sign = magnitude.front() == '-' ? -1.0 : 1.0;
        magnitude.remove_prefix(1);
    }
    if (equalsIgnoringCase(magnitude, "inf") || equalsIgnoringCase(magnitude, "infinity"))
        return sign * std::numeric_limits<double>::infinity();
    return convertDecimal(token);
}

std::optional<double> parseRealNumber(std::string_view token)
{
    if (token.empty())
        return std::nullopt;
    return convertDecimal(token);
}

std::optional<std::int64_t> parseMillisTimestamp(std::string_view token)
{
    if (token.empty())
        return std::nullopt;
    for (char c : token) {
        if (!isDigit(c))
            return std::nullopt;
    }
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (ec != std::errc() || ptr != token.data() + token.size())
        return std::nullopt;
    return value;
}

std::int64_t secondsToMillis(double seconds)
{
    const double millis = std::round(seconds * 1000.0);
    // 2^63 is exactly representable; anything at or above it does not fit.
    constexpr double kLimit = 9223372036854775808.0;
    if (millis >= kLimit)
        return std::numeric_limits<std::int64_t>::max();
    if (millis <= -kLimit)
        return std::numeric_limits<std::int64_t>::min();
    return static_cast<std::int64_t>(millis);
}

} // namespace pulse::expo
