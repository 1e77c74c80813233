// The bit-level codes of the Gorilla paper ("Gorilla: A Fast, Scalable, In-Memory Time Series
// Database", VLDB 2015), shared by the sample and rollup chunk codecs:
//  - delta-of-delta integers (timestamps; counts; integral values) in prefix-coded buckets;
//  - XOR of consecutive float bit patterns, with the leading/trailing zero window reused when the
//    new meaningful bits fit inside it.
// Floats are handled as raw 64-bit patterns, so NaN payloads (the stale marker), ±Inf and -0.0
// round-trip exactly.
#pragma once

#include "storage/bit_reader.h"
#include "storage/bit_writer.h"

#include <bit>
#include <cstdint>
#include <iterator>

namespace pulse::storage {

// Bucket widths of the delta-of-delta code: '0' is zero, then '10'+4 bits, '110'+8, '1110'+14,
// '11110'+21, '111110'+32 and '111111'+64 (two's complement in the field). The 4-bit bucket is
// narrower than the paper's: scrape timestamps jitter by a few milliseconds, and that jitter is the
// common case, not an exception.
inline constexpr int kDodWidths[] = {4, 8, 14, 21, 32};
inline constexpr int kDodBuckets = static_cast<int>(std::size(kDodWidths));

/// wrappingSub is a - b modulo 2^64: timestamps are user input, and signed overflow must not be UB.
inline std::int64_t wrappingSub(std::int64_t a, std::int64_t b)
{
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b));
}

/// wrappingAdd is a + b modulo 2^64, the inverse of wrappingSub.
inline std::int64_t wrappingAdd(std::int64_t a, std::int64_t b)
{
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}

/// writeDod writes a signed delta-of-delta.
inline void writeDod(BitWriter &out, std::int64_t dod)
{
    if (dod == 0) {
        out.write(0, 1);
        return;
    }
    for (int i = 0; i < kDodBuckets; ++i) {
        const int w = kDodWidths[i];
        const std::int64_t lo = -(std::int64_t{1} << (w - 1));
        const std::int64_t hi = (std::int64_t{1} << (w - 1)) - 1;
        if (dod >= lo && dod <= hi) {
            // i+1 ones then a zero: 0b10, 0b110, 0b1110, ...
            out.write(((std::uint64_t{1} << (i + 1)) - 1) << 1, i + 2);
            out.write(static_cast<std::uint64_t>(dod), w);
            return;
        }
    }
    out.write((std::uint64_t{1} << (kDodBuckets + 1)) - 1, kDodBuckets + 1);
    out.write(static_cast<std::uint64_t>(dod), 64);
}

/// dodCodeBits is how many bits writeDod(dod) writes.
inline int dodCodeBits(std::int64_t dod)
{
    if (dod == 0)
        return 1;
    for (int i = 0; i < kDodBuckets; ++i) {
        const int w = kDodWidths[i];
        if (dod >= -(std::int64_t{1} << (w - 1)) && dod <= (std::int64_t{1} << (w - 1)) - 1)
            return i + 2 + w;
    }
    return kDodBuckets + 1 + 64;
}

/// readDod reads what writeDod wrote.
inline std::int64_t readDod(BitReader &in)
{
    const int ones = in.readOnes(kDodBuckets + 1);
    if (ones == 0)
        return 0;
    const int w = ones == kDodBuckets + 1 ? 64 : kDodWidths[ones - 1];
    if (w <= 0)
        return 0; // not written by writeDod: every bucket width is at least 1
    const std::uint64_t raw = in.read(w);
    if (w == 64)
        return static_cast<std::int64_t>(raw);
    // Sign-extend the w-bit field.
    const std::uint64_t sign = std::uint64_t{1} << (w - 1);
    return static_cast<std::int64_t>((raw ^ sign) - sign);
}

/// writeFirstInt writes a stream's first integer without a predecessor to code it against: its zigzag
/// form (0, -1, 1, -2, … → 0, 1, 2, 3, …) as a 7-bit bit width, then that many bits. A millisecond
/// timestamp takes 48 bits instead of 64, a small count or difference a dozen.
inline void writeFirstInt(BitWriter &out, std::int64_t v)
{
    const auto u = static_cast<std::uint64_t>(v);
    const std::uint64_t zigzag = (u << 1) ^ (v < 0 ? ~std::uint64_t{0} : 0);
    const int width = std::bit_width(zigzag);
    out.write(static_cast<std::uint64_t>(width), 7);
    if (width > 0)
        out.write(zigzag, width);
}

/// readFirstInt reads what writeFirstInt wrote.
inline std::int64_t readFirstInt(BitReader &in)
{
    const int width = static_cast<int>(in.read(7));
    if (width == 0)
        return 0;
    const std::uint64_t zigzag = in.read(width > 64 ? 64 : width); // > 64: corrupt; read() flags truncation
    return static_cast<std::int64_t>((zigzag >> 1) ^ (~(zigzag & 1) + 1));
}

/// XorEncoder writes each float as the XOR with its predecessor (the first one in full).
class XorEncoder {
public:
    void write(BitWriter &out, double value)
    {
        const auto bits = std::bit_cast<std::uint64_t>(value);
        if (!m_started) {
            out.write(bits, 64);
            m_prev = bits;
            m_started = true;
            return;
        }
        const std::uint64_t x = bits ^ m_prev;
        m_prev = bits;
        if (x == 0) {
            out.write(0, 1);
            return;
        }
        int leading = std::countl_zero(x);
        const int trailing = std::countr_zero(x);
        if (leading > 31)
            leading = 31;
        if (m_leading >= 0 && leading >= m_leading && trailing >= m_trailing) {
            out.write(0b10, 2);
            out.write(x >> m_trailing, 64 - m_leading - m_trailing);
            return;
        }
        m_leading = static_cast<std::int8_t>(leading);
        m_trailing = static_cast<std::int8_t>(trailing);
        const int meaningful = 64 - leading - trailing;
        out.write(0b11, 2);
        out.write(static_cast<std::uint64_t>(leading), 5);
        out.write(static_cast<std::uint64_t>(meaningful & 63), 6); // 64 is written as 0
        out.write(x >> trailing, meaningful);
    }

private:
    std::uint64_t m_prev = 0;
    std::int8_t m_leading = -1; // 16 bytes in all: every series' open chunk may hold one
    std::int8_t m_trailing = 0;
    bool m_started = false;
};

/// XorDecoder reads what XorEncoder wrote.
class XorDecoder {
public:
    double read(BitReader &in)
    {
        if (!m_started) {
            m_prev = in.read(64);
            m_started = true;
            return std::bit_cast<double>(m_prev);
        }
        if (!in.readBit())
            return std::bit_cast<double>(m_prev);
        if (in.readBit()) {
            m_leading = static_cast<int>(in.read(5));
            int meaningful = static_cast<int>(in.read(6));
            if (meaningful == 0)
                meaningful = 64;
            m_trailing = 64 - m_leading - meaningful;
            if (m_trailing < 0) {
                m_trailing = 0; // corrupt input; the caller notices the garbage via overrun or count
            }
        }
        const int meaningful = 64 - m_leading - m_trailing;
        m_prev ^= in.read(meaningful) << m_trailing;
        return std::bit_cast<double>(m_prev);
    }

private:
    std::uint64_t m_prev = 0;
    int m_leading = 0;
    int m_trailing = 0;
    bool m_started = false;
};

} // namespace pulse::storage
