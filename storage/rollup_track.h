// RollupTrack: the rollup of one series at one resolution as samples arrive.
//
// Bucket lifecycle:
//
//   (none) --add: first sample--> open --add: sample in a later bucket--> closed (in m_closed)
//                                   ^                                      |
//                                   +-------- opens the new bucket <-------+
//   closed buckets --add: 240 buckets or span ≥ 240 × resolution--> sealed (SealedChunk, immutable)
//
// The open bucket is not final, so headBytes() encodes the closed buckets plus the open one: the
// `rollup_head` row, rewritten at each commit. restore() rebuilds the track from that row.
#pragma once

#include "core/error.h"
#include "storage/rollup_bucket.h"
#include "storage/rollup_codec.h"
#include "storage/sealed_chunk.h"

#include <cstdint>
#include <string>
#include <vector>

namespace pulse::storage {

inline constexpr int kRollupChunkBuckets = 240;

class RollupTrack {
public:
    explicit RollupTrack(std::int64_t resolutionMs = 60'000) : m_resolutionMs(resolutionMs) {}

    /// add folds a sample in; timestamps must not decrease. Sealed chunks go to `sealed`.
    void add(std::int64_t seriesId, std::int64_t timestampMs, double value, std::vector<SealedChunk> &sealed);
    /// restore rebuilds the track from a `rollup_head` row written by headBytes().
    Result<void> restore(std::string_view headRow);

    bool empty() const { return !m_hasOpen; }
    std::int64_t resolutionMs() const { return m_resolutionMs; }
    /// headBytes encodes closed + open buckets; startMs/endMs/count describe that row.
    std::string headBytes() const;
    std::int64_t headStartMs() const { return m_closed.count() ? m_closed.firstStartMs() : m_open.startMs; }
    std::int64_t headEndMs() const { return m_open.startMs; }
    int headCount() const { return m_closed.count() + (m_hasOpen ? 1 : 0); }

private:
    void closeOpen(std::int64_t seriesId, std::vector<SealedChunk> &sealed);
    // withBucket returns `closed` plus `bucket`, recoded when the bucket does not fit its decimals.
    static RollupEncoder withBucket(const RollupEncoder &closed, const RollupBucket &bucket);

    std::int64_t m_resolutionMs;
    RollupEncoder m_closed;
    RollupBucket m_open;
    bool m_hasOpen = false;
};

} // namespace pulse::storage
