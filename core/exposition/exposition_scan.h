// Byte scanning for the exposition lexers: character classes, names, and where a label value stops
// being plain.
//
// Label values are short and almost always plain ASCII without escapes. One pass that looks at eight
// bytes at a time for a quote, a backslash or a byte >= 0x80 settles the common case: the value ends
// at the quote, needs no unescaping and, being ASCII, no UTF-8 check. Anything else takes the slow
// path in the lexer.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace pulse::expo {

/// Character classes of the formats' tokens, as bits of kCharClass.
enum : std::uint8_t {
    kMetricStart = 1,   // [a-zA-Z_:]
    kMetricChar = 2,    // [a-zA-Z0-9_:]
    kLabelStart = 4,    // [a-zA-Z_]
    kLabelChar = 8,     // [a-zA-Z0-9_]
    kSpace = 16,        // ' ': ends a token in OpenMetrics
    kTextTokenEnd = 32, // [ \t{]: ends a token in the text format
};

inline constexpr std::array<std::uint8_t, 256> kCharClass = [] {
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
        if (c == ' ')
            bits |= kSpace;
        if (c == ' ' || c == '\t' || c == '{')
            bits |= kTextTokenEnd;
        table[static_cast<std::size_t>(c)] = bits;
    }
    return table;
}();

inline bool hasClass(char c, std::uint8_t bits)
{
    return (kCharClass[static_cast<unsigned char>(c)] & bits) != 0;
}

/// scanName returns the end of a name starting at pos, or pos when there is none.
inline std::size_t scanName(std::string_view s, std::size_t pos, std::uint8_t start, std::uint8_t rest)
{
    if (pos >= s.size() || !hasClass(s[pos], start))
        return pos;
    ++pos;
    while (pos < s.size() && hasClass(s[pos], rest))
        ++pos;
    return pos;
}

inline bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

namespace detail {

// stopMask has the high bit set in each byte of `word` that is '"' or '\\' (or, with nonAscii, any
// byte >= 0x80). Exact for the lowest marked byte, which is all a caller may use: the borrow of the
// zero-byte test can also mark bytes above a true match.
inline std::uint64_t stopMask(std::uint64_t word, bool nonAscii)
{
    constexpr std::uint64_t kOnes = 0x0101010101010101ull;
    constexpr std::uint64_t kHigh = 0x8080808080808080ull;
    const std::uint64_t quote = word ^ (kOnes * '"');
    const std::uint64_t backslash = word ^ (kOnes * '\\');
    std::uint64_t mask = ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash);
    if (nonAscii)
        mask |= word;
    return mask & kHigh;
}

inline bool isStop(char c, bool nonAscii)
{
    return c == '"' || c == '\\' || (nonAscii && static_cast<unsigned char>(c) >= 0x80);
}

inline std::size_t findStop(std::string_view s, bool nonAscii)
{
    const char *p = s.data();
    const std::size_t n = s.size();
    std::size_t i = 0;
    if constexpr (std::endian::native == std::endian::little) {
        for (; i + 8 <= n; i += 8) {
            std::uint64_t word;
            std::memcpy(&word, p + i, 8);
            if (const std::uint64_t mask = stopMask(word, nonAscii))
                return i + static_cast<std::size_t>(std::countr_zero(mask)) / 8;
        }
    }
    // The last 0-7 bytes one at a time: reading a whole word here could run past the input.
    for (; i < n; ++i) {
        if (isStop(p[i], nonAscii))
            return i;
    }
    return n;
}

} // namespace detail

/// findPlainEnd returns the index of the first '"', '\\' or non-ASCII byte of s, or s.size().
inline std::size_t findPlainEnd(std::string_view s)
{
    return detail::findStop(s, true);
}

/// findQuoteOrBackslash returns the index of the first '"' or '\\' of s, or s.size().
inline std::size_t findQuoteOrBackslash(std::string_view s)
{
    return detail::findStop(s, false);
}

} // namespace pulse::expo
