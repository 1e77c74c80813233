// BitReader: reads a BitWriter stream back, most significant bit first.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace pulse::storage {

/// BitReader reads bit fields from a byte view. Reading past the end yields zero bits and sets
/// overrun(), so a truncated or corrupt chunk is detected instead of read out of bounds.
class BitReader {
public:
    explicit BitReader(std::string_view bytes)
        : m_data(reinterpret_cast<const unsigned char *>(bytes.data())), m_size(bytes.size())
    {
    }

    /// read returns the next `bits` bits (0 ≤ bits ≤ 64).
    std::uint64_t read(int bits)
    {
        if (bits > 56) {
            const std::uint64_t high = read(bits - 32);
            return (high << 32) | read(32);
        }
        if (bits == 0)
            return 0;
        if (m_bitPos + static_cast<std::size_t>(bits) > m_size * 8)
            m_overrun = true;
        const std::size_t byte = m_bitPos >> 3;
        const int shift = static_cast<int>(m_bitPos & 7);
        const std::uint64_t word = load64(byte) << shift;
        m_bitPos += static_cast<std::size_t>(bits);
        return word >> (64 - bits);
    }

    bool readBit() { return read(1) != 0; }

    /// readOnes counts leading one bits, stopping after a zero bit or at `max` ones (max ≤ 56). One
    /// load for the whole prefix: a bit at a time was a fifth of decoding a chunk.
    int readOnes(int max)
    {
        if (max <= 0)
            return 0;
        const std::uint64_t word = load64(m_bitPos >> 3) << (m_bitPos & 7); // ≥ 57 bits of the stream
        if ((word >> 63) == 0) { // the common case in regular series: no ones
            if (m_bitPos + 1 > m_size * 8)
                m_overrun = true;
            ++m_bitPos;
            return 0;
        }
        const int n = std::min(std::countl_one(word), max);
        const int consumed = n < max ? n + 1 : n; // the zero bit that ended the run is read too
        if (m_bitPos + static_cast<std::size_t>(consumed) > m_size * 8)
            m_overrun = true;
        m_bitPos += static_cast<std::size_t>(consumed);
        return n;
    }

    /// zeroBitsAhead counts the zero bits from the current position, at most 64 and never past the end.
    int zeroBitsAhead() const
    {
        const std::uint64_t word = load64(m_bitPos >> 3) << (m_bitPos & 7); // ≥ 57 bits of the stream
        const std::size_t left = m_size * 8 > m_bitPos ? m_size * 8 - m_bitPos : 0;
        const int zeros = std::min(std::countl_zero(word), 57); // the low bits past 57 may be padding
        return static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(zeros), left));
    }

    /// skip consumes `bits` bits the caller has already inspected (zeroBitsAhead).
    void skip(int bits) { m_bitPos += static_cast<std::size_t>(bits); }

    bool overrun() const { return m_overrun; }

private:
    // load64 reads eight bytes big-endian from `byte`, zero past the end.
    std::uint64_t load64(std::size_t byte) const
    {
        if (byte + 8 <= m_size) {
            std::uint64_t w;
            std::memcpy(&w, m_data + byte, 8);
            return __builtin_bswap64(w);
        }
        std::uint64_t w = 0;
        for (std::size_t i = 0; i < 8; ++i)
            w = (w << 8) | (byte + i < m_size ? m_data[byte + i] : 0u);
        return w;
    }

    const unsigned char *m_data;
    std::size_t m_size;
    std::size_t m_bitPos = 0;
    bool m_overrun = false;
};

} // namespace pulse::storage
