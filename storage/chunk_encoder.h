// ChunkEncoder: packs one series' samples into a compressed chunk (Gorilla-style).
//
// Chunk layout (all chunks, head or sealed):
//   byte 0      value coding: 1 = XOR floats, 2 = integral values as delta-of-delta
//   bytes 1-2   sample count, little endian
//   bits…       sample 0: timestamp (64 bits), value (64 bits: float pattern or int64)
//               sample 1+: timestamp delta-of-delta (gorilla_coding.h), then the value code
// Integral coding exists because counters and most gauges hold whole numbers: their
// delta-of-delta is often a handful of bits where the XOR code needs 20 or more.
#pragma once

#include "storage/bit_writer.h"
#include "storage/gorilla_coding.h"

#include <cstdint>
#include <string>

namespace pulse::storage {

enum class ValueCoding : std::uint8_t { Xor = 1, Integer = 2 };

inline constexpr std::size_t kChunkHeaderBytes = 3;
inline constexpr int kMaxChunkSamples = 0xffff;

/// ChunkEncoder appends samples in timestamp order. Not thread-safe.
class ChunkEncoder {
public:
    explicit ChunkEncoder(ValueCoding coding = ValueCoding::Xor) : m_coding(coding) {}

    /// fitsInteger tells whether `value` survives the integral coding bit-exactly (no -0.0, NaN or
    /// fractions; magnitude at most 2^53).
    static bool fitsInteger(double value);

    /// append adds a sample; timestamps must increase. Returns false, changing nothing, when the
    /// coding is Integer and the value does not fit it (the caller re-encodes as Xor).
    bool append(std::int64_t timestampMs, double value);

    /// bytes returns the chunk as stored (header + padded bit stream).
    std::string bytes() const;
    /// recode re-encodes a stored chunk with another coding (used when an Integer chunk meets a
    /// fraction). Fails on a corrupt chunk.
    static bool recode(std::string_view chunk, ValueCoding coding, ChunkEncoder &out);

    ValueCoding coding() const { return m_coding; }
    int count() const { return m_count; }
    std::int64_t firstTimestampMs() const { return m_firstTs; }
    std::int64_t lastTimestampMs() const { return m_lastTs; }
    std::size_t sizeBytes() const { return kChunkHeaderBytes + (m_bits.bitCount() + 7) / 8; }

private:
    ValueCoding m_coding;
    BitWriter m_bits;
    XorEncoder m_xor;
    int m_count = 0;
    std::int64_t m_firstTs = 0;
    std::int64_t m_lastTs = 0;
    std::int64_t m_tsDelta = 0;
    std::int64_t m_lastInt = 0;
    std::int64_t m_intDelta = 0;
};

} // namespace pulse::storage
