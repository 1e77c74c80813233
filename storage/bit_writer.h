// BitWriter: an append-only bit stream, most significant bit first, for the chunk codecs.
#pragma once

#include <cstdint>
#include <string>

namespace pulse::storage {

/// BitWriter appends bit fields to a byte string. Whole bytes go to the string as soon as they are
/// complete; at most 7 bits wait in the accumulator, so bytes() can append them padded with zeros
/// without disturbing the stream (the open head chunk is written out after every commit).
class BitWriter {
public:
    /// write appends the low `bits` bits of `value` (0 ≤ bits ≤ 64), high bit first.
    void write(std::uint64_t value, int bits)
    {
        if (bits > 56) {
            write(value >> 32, bits - 32);
            write(value & 0xffffffffULL, 32);
            return;
        }
        if (bits == 0)
            return;
        value &= (std::uint64_t{1} << bits) - 1;
        // At most 7 bits wait between calls, so 7 + 56 bits fit the 64-bit working copy.
        std::uint64_t acc = (std::uint64_t{m_acc} << bits) | value;
        int accBits = m_accBits + bits;
        while (accBits >= 8) {
            accBits -= 8;
            m_bytes.push_back(static_cast<char>((acc >> accBits) & 0xff));
        }
        m_acc = static_cast<std::uint8_t>(acc & ((std::uint64_t{1} << accBits) - 1));
        m_accBits = static_cast<std::uint8_t>(accBits);
    }

    void writeBit(bool bit) { write(bit ? 1 : 0, 1); }

    /// appendTo appends the stream so far to `out`, the last partial byte padded with zero bits.
    void appendTo(std::string &out) const
    {
        out += m_bytes;
        if (m_accBits > 0)
            out.push_back(static_cast<char>((m_acc << (8 - m_accBits)) & 0xff));
    }

    /// prefetchTail asks for the cache line the next write() goes to.
    void prefetchTail() const { __builtin_prefetch(m_bytes.data() + m_bytes.size(), 1); }

    /// reserve makes room for `bytes` whole bytes, so a stream of known size grows without copies.
    void reserve(std::size_t bytes) { m_bytes.reserve(bytes); }

    std::size_t capacity() const { return m_bytes.capacity(); }
    std::size_t bitCount() const { return m_bytes.size() * 8 + static_cast<std::size_t>(m_accBits); }
    void clear()
    {
        m_bytes.clear();
        m_acc = 0;
        m_accBits = 0;
    }

private:
    // Kept small: every series' open chunk and rollup tracks hold one (storage_bench, 100k series).
    std::string m_bytes;
    std::uint8_t m_acc = 0;     ///< the bits not yet in a whole byte (at most 7)
    std::uint8_t m_accBits = 0;
};

} // namespace pulse::storage
