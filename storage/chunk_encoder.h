// ChunkEncoder: packs one series' samples into a compressed chunk (Gorilla-style).
//
// Chunk layout (all chunks, head or sealed):
//   byte 0      value coding: 1 = XOR floats; 2 + d (d = 0..6) = values × 10^d as integers, coded
//               as delta-of-delta (d = 0: integral values); 9 + d = the same integers coded as
//               deltas (DecimalDelta)
//   bytes 1-2   sample count, little endian
//   bits…       sample 0: timestamp (64 bits), value (64 bits: float pattern or int64)
//               sample 1+: timestamp delta-of-delta (gorilla_coding.h), then the value code
// Decimal coding exists because counters and most gauges hold whole numbers or a few decimals (CPU
// seconds "12345.67"): as scaled integers their delta-of-delta is a handful of bits, where the XOR
// of two such doubles costs 20 to 50. A value is only coded this way when n / 10^d gives back its
// exact bits, so the round trip stays exact.
// Delta-of-delta suits counters at a steady rate; a gauge that wanders (or a counter with irregular
// steps) costs fewer bits as plain deltas: on the node_exporter payload's series 3.7 bits a value
// instead of 4.6. The encoder counts what the other order would cost as it goes, so a chunk can be
// recoded into the cheaper one when it seals (SeriesHead) without trying both.
#pragma once

#include "storage/bit_writer.h"
#include "storage/gorilla_coding.h"

#include <cstdint>
#include <string>

namespace pulse::storage {

enum class ValueCoding : std::uint8_t { Xor = 1, Decimal = 2, DecimalDelta = 3 };

/// isDecimal: the coding stores scaled integers (either order).
inline bool isDecimal(ValueCoding c)
{
    return c != ValueCoding::Xor;
}

inline constexpr int kMaxDecimals = 6;

inline constexpr std::size_t kChunkHeaderBytes = 3;
inline constexpr int kMaxChunkSamples = 0xffff;

/// ChunkEncoder appends samples in timestamp order. Not thread-safe.
class ChunkEncoder {
public:
    explicit ChunkEncoder(ValueCoding coding = ValueCoding::Xor, int decimals = 0)
        : m_coding(coding), m_decimals(static_cast<std::int8_t>(decimals))
    {
    }

    /// fitsDecimal tells whether `value` survives the coding with `decimals` bit-exactly (no -0.0,
    /// NaN or infinities; scaled magnitude at most 2^53).
    static bool fitsDecimal(double value, int decimals);
    /// decimalsNeeded is the smallest `decimals` that fits `value`, or -1 when none does.
    static int decimalsNeeded(double value);

    /// append adds a sample; timestamps must increase, and a chunk holds fewer than 65,535 samples
    /// (its header's count; SeriesHead seals far earlier). Returns false, changing nothing, when the
    /// coding is decimal and the value does not fit it (the caller recodes).
    bool append(std::int64_t timestampMs, double value);

    /// bytes returns the chunk as stored (header + padded bit stream).
    std::string bytes() const;
    /// appendTo appends bytes() to `out` (no string of its own).
    void appendTo(std::string &out) const;
    /// restart empties the encoder for a new chunk in `coding`, keeping its buffer's capacity: a series'
    /// next chunk takes about as many bytes, and the writer need not free and allocate one per seal.
    void restart(ValueCoding coding, int decimals)
    {
        BitWriter bits = std::move(m_bits);
        bits.clear();
        *this = ChunkEncoder(coding, decimals);
        m_bits = std::move(bits);
    }
    /// capacity is the bytes the encoder holds room for.
    std::size_t capacity() const { return kChunkHeaderBytes + m_bits.capacity(); }
    /// prefetchTail asks for the cache line the next append() writes its bits to.
    void prefetchTail() const { m_bits.prefetchTail(); }
    /// reserve makes room for a chunk of about `bytes` stored bytes.
    void reserve(std::size_t bytes) { m_bits.reserve(bytes > kChunkHeaderBytes ? bytes - kChunkHeaderBytes : 0); }
    /// recode re-encodes a stored chunk with another coding (used when a Decimal chunk meets a
    /// value with more decimals). Fails on a corrupt chunk.
    static bool recode(std::string_view chunk, ValueCoding coding, int decimals, ChunkEncoder &out);

    ValueCoding coding() const { return m_coding; }
    int decimals() const { return m_decimals; }
    int count() const { return m_count; }
    std::int64_t firstTimestampMs() const { return m_firstTs; }
    std::int64_t lastTimestampMs() const { return m_lastTs; }
    std::size_t sizeBytes() const { return kChunkHeaderBytes + (m_bits.bitCount() + 7) / 8; }
    /// otherOrderIsCheaper: a decimal chunk's values would take fewer bits in the other integer order
    /// (Decimal ↔ DecimalDelta), by at least a byte.
    bool otherOrderIsCheaper() const { return isDecimal(m_coding) && m_otherOrderBits + 8 <= m_valueBits; }
    /// otherOrder is the decimal coding in the other integer order (Xor stays Xor).
    ValueCoding otherOrder() const
    {
        return m_coding == ValueCoding::Decimal        ? ValueCoding::DecimalDelta
               : m_coding == ValueCoding::DecimalDelta ? ValueCoding::Decimal
                                                       : ValueCoding::Xor;
    }

private:
    // Every series keeps its open chunk in memory: the narrow fields keep an encoder at 112 bytes
    // (a count fits the header's 16 bits; a chunk's value codes are far below 2^31 bits).
    BitWriter m_bits;
    XorEncoder m_xor;
    std::int64_t m_firstTs = 0;
    std::int64_t m_lastTs = 0;
    std::int64_t m_tsDelta = 0;
    std::int64_t m_lastInt = 0;
    std::int64_t m_intDelta = 0;
    std::int32_t m_valueBits = 0;      ///< decimal chunks: bits the value codes took after sample 0
    std::int32_t m_otherOrderBits = 0; ///< what they would take in the other order
    std::uint16_t m_count = 0;
    ValueCoding m_coding;
    std::int8_t m_decimals;
};

} // namespace pulse::storage
