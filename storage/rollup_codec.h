// RollupEncoder / RollupDecoder: a chunk of consecutive RollupBuckets of one series, compressed
// with the same codes as sample chunks (gorilla_coding.h). A row per bucket would cost more bytes
// than the raw samples it summarises; packed, a 1-minute bucket of a 1 s scrape costs ~0.2 B/sample.
//
// Layout: byte 0 = 3 (rollup), bytes 1-2 = bucket count (little endian), then per bucket:
//   start (64 bits, then delta-of-delta), last timestamp as a delta-of-delta of its offset from the
//   start, count (delta-of-delta), then min, max, sum, last, each an XOR float stream.
#pragma once

#include "core/error.h"
#include "storage/bit_writer.h"
#include "storage/gorilla_coding.h"
#include "storage/rollup_bucket.h"

#include <string>
#include <string_view>
#include <vector>

namespace pulse::storage {

inline constexpr unsigned char kRollupChunkTag = 3;

/// RollupEncoder appends closed buckets in time order. Not thread-safe.
class RollupEncoder {
public:
    void append(const RollupBucket &bucket);
    std::string bytes() const;
    int count() const { return m_count; }
    std::int64_t firstStartMs() const { return m_firstStart; }
    std::int64_t lastStartMs() const { return m_lastStart; }

private:
    BitWriter m_bits;
    XorEncoder m_min, m_max, m_sum, m_last;
    int m_count = 0;
    std::int64_t m_firstStart = 0;
    std::int64_t m_lastStart = 0;
    std::int64_t m_startDelta = 0;
    std::int64_t m_lastOffset = 0;
    std::int64_t m_lastCount = 0;
};

/// decodeRollups appends the buckets of a rollup chunk whose start is in [startMs, endMs].
Result<void> decodeRollups(std::string_view chunk, std::int64_t startMs, std::int64_t endMs,
                           std::vector<RollupBucket> &out);

} // namespace pulse::storage
