// RollupEncoder / decodeRollups: a chunk of consecutive RollupBuckets of one series, compressed
// with the same codes as sample chunks (gorilla_coding.h). A row per bucket would cost more bytes
// than the raw samples it summarises.
//
// Layout: byte 0 = 4 (rollup), bytes 1-2 = bucket count (little endian), byte 3 = decimals of
// min/max/last, byte 4 = decimals of sum (0xff: XOR floats), then per bucket:
//   start, last timestamp as its offset from the start, count, then last, max, min, sum. Each integer
//   field is a stream: its first value as writeFirstInt (gorilla_coding.h), then delta-of-deltas.
//   Tag 3 (schema ≤ 4) is the same with every first integer in 64 bits; it is still read. With decimals, values are integers
//   (value × 10^d): last as a delta-of-delta, max as max − last and min as last − min (each as a
//   delta-of-delta: for counters both are steady), sum as a delta-of-delta. Without, XOR streams.
#pragma once

#include "core/base/error.h"
#include "storage/bit_writer.h"
#include "storage/gorilla_coding.h"
#include "storage/rollup_bucket.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pulse::storage {

inline constexpr unsigned char kRollupChunkTag = 4;
inline constexpr unsigned char kRollupChunkTagV1 = 3; ///< first integers in 64 bits; read, never written
inline constexpr std::size_t kRollupHeaderBytes = 5;

/// RollupEncoder appends closed buckets in time order. Not thread-safe.
class RollupEncoder {
public:
    /// RollupEncoder codes min/max/last with `valueDecimals` and sum with `sumDecimals` (-1: XOR).
    explicit RollupEncoder(int valueDecimals = -1, int sumDecimals = -1);

    /// encodeAll picks the decimals that fit every bucket and encodes them all.
    static RollupEncoder encodeAll(const std::vector<RollupBucket> &buckets);
    /// encodeAllInto is encodeAll into `out`, reusing its buffer.
    static void encodeAllInto(std::span<const RollupBucket> buckets, RollupEncoder &out);
    /// restart empties the encoder for other decimals, keeping its buffer's capacity.
    void restart(int valueDecimals, int sumDecimals);

    /// append adds a bucket; false (nothing changed) when a value does not fit the chosen decimals.
    bool append(const RollupBucket &bucket);
    std::string bytes() const;
    /// appendTo appends bytes() to `out` (no string of its own).
    void appendTo(std::string &out) const;
    /// reserve makes room for about `bytes` stored bytes.
    void reserve(std::size_t bytes) { m_bits.reserve(bytes); }
    int count() const { return m_count; }
    std::int64_t firstStartMs() const { return m_firstStart; }
    std::int64_t lastStartMs() const { return m_iStart.prev; }

private:
    // IntStream is one delta-of-delta integer field.
    struct IntStream {
        std::int64_t prev = 0;
        std::int64_t delta = 0;
        void write(BitWriter &out, std::int64_t v, bool first);
    };
    // ValueStream is a value field's state: integers when its decimals are ≥ 0, else XOR floats —
    // never both, so they share the bytes (every series holds two encoders: 168 bytes each, not 288).
    // Which member is live is fixed by the decimals at construction.
    union ValueStream {
        IntStream ints;
        XorEncoder floats;
        ValueStream() : ints() {}
        void start(bool asInts);
    };

    BitWriter m_bits;
    IntStream m_iStart, m_iOffset, m_iCount;
    ValueStream m_last, m_max, m_min; ///< with decimals, max and min are coded as max − last, last − min
    ValueStream m_sum;
    std::int64_t m_firstStart = 0;
    std::int32_t m_count = 0;
    std::int8_t m_valueDecimals;
    std::int8_t m_sumDecimals;
};

/// decodeRollups appends the buckets of a rollup chunk whose start is in [startMs, endMs].
Result<void> decodeRollups(std::string_view chunk, std::int64_t startMs, std::int64_t endMs,
                           std::vector<RollupBucket> &out);

} // namespace pulse::storage
