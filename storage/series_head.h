// SeriesHead: everything the writer keeps in memory for one series — the open raw chunk and the
// 1-minute (dense series only) and 1-hour rollup tracks (rollup_track.h).
//
// Raw chunk lifecycle:
//
//   empty --append--> open (head_chunk row, rewritten at each commit)
//     ^                 | append when the chunk holds kSealSamples samples or would span ≥ kMaxChunkSpanMs
//     |                 v
//     +------------- sealed (SealedChunk → `chunk` row, immutable) ; the sample opens the next chunk
//
// A decimal chunk that meets a value with more decimals is recoded in place with more decimals, or
// as XOR floats when the value is no short decimal (SeriesHead::append). When a decimal chunk seals,
// it is recoded into the other integer order (delta ↔ delta-of-delta) if that is cheaper, and the
// next chunk starts in the order it ended in.
#pragma once

#include "core/base/error.h"
#include "storage/chunk_encoder.h"
#include "storage/rollup_track.h"
#include "storage/sealed_chunks.h"

#include <cstdint>
#include <string>
#include <vector>

namespace pulse::storage {

inline constexpr int kSealSamples = 480;
static_assert(kSealSamples < 65535, "a chunk's header counts its samples in 16 bits");
inline constexpr std::int64_t kMaxChunkSpanMs = 2 * 3600 * 1000;
inline constexpr std::int64_t kRollup1mMs = 60'000;
inline constexpr std::int64_t kRollup1hMs = 3'600'000;
/// Closed rollup buckets a head keeps before sealing them (rollup_track.h): memory per series.
inline constexpr int kSeal1mBuckets = 15;
inline constexpr int kSeal1hBuckets = 24;
/// The first 1-minute chunk after start or restore seals early (rollup_track.h). Not the 1-hour track:
/// its extra row would cost sparse series more bytes per sample than a day's growth costs memory.
inline constexpr int kFirstSealBuckets = 5;

class SeriesHead {
public:
    explicit SeriesHead(std::int64_t seriesId);

    /// append adds a sample. Returns false (and changes nothing) when it is not newer than the last
    /// sample of the series. Sealed chunks are appended to `sealed`.
    bool append(std::int64_t timestampMs, double value, SealedChunks &sealed);

    /// restoreChunk / restoreRollup rebuild state from the rows written before a restart.
    Result<void> restoreChunk(std::string_view headRow);
    Result<void> restoreRollup(std::int64_t resolutionMs, std::string_view headRow);
    /// setLastTimestamp tells a head without an open chunk where the series' sealed data ends.
    void setLastTimestamp(std::int64_t timestampMs);

    std::int64_t seriesId() const { return m_id; }
    /// hasLastTimestamp: the head knows where the series' data ends (a restored chunk or setLastTimestamp).
    bool hasLastTimestamp() const { return m_hasLast; }
    /// lastTimestampMs is the newest sample's time (meaningful when hasLastTimestamp()).
    std::int64_t lastTimestampMs() const { return m_lastTs; }
    const ChunkEncoder &chunk() const { return m_chunk; }
    const RollupTrack &rollup1m() const { return m_m1; }
    const RollupTrack &rollup1h() const { return m_h1; }
    /// rollup1m gives Downsampler's caller the 1-minute track, to keep its open bucket (keepOpen).
    RollupTrack &rollup1m() { return m_m1; }
    /// rollup1h lets the writer mark the 1-hour track's row written after a commit.
    RollupTrack &rollup1h() { return m_h1; }
    /// prefetch asks for the cache lines append() touches. A writer appends to ~100k heads per
    /// second, one sample each: every head is cold again by its next sample, and waiting for its lines
    /// one miss at a time was most of append()'s cost. prefetchChunkTail: once the head has arrived,
    /// the line of the open chunk's bytes the sample goes to.
    void prefetch() const
    {
        __builtin_prefetch(this, 1);
        __builtin_prefetch(&m_chunk, 1);
        m_m1.prefetch();
        m_h1.prefetch();
        __builtin_prefetch(&m_lastTs, 1);
    }
    void prefetchChunkTail() const { m_chunk.prefetchTail(); }
    /// dirty: appended to since its head rows were last written (the head log holds the difference).
    bool dirty() const { return m_dirty; }
    /// touched: appended to since the last commit (StoreWriter's bookkeeping).
    bool touched() const { return m_touched; }
    void setTouched(bool touched) { m_touched = touched; }
    /// markClean: the rows now equal this head (raw head row and both rollup rows).
    void markClean()
    {
        m_dirty = false;
        m_m1.markRowWritten();
        m_h1.markRowWritten();
    }

private:
    void sealChunk(SealedChunks &sealed);

    std::int64_t m_id;
    ChunkEncoder m_chunk;
    RollupTrack m_m1{kRollup1mMs, RollupTrack::Policy::DenseOnly, kSeal1mBuckets, kFirstSealBuckets};
    RollupTrack m_h1{kRollup1hMs, RollupTrack::Policy::Always, kSeal1hBuckets};
    std::int64_t m_lastTs = INT64_MIN;
    bool m_hasLast = false;
    bool m_dirty = false;
    bool m_touched = false;
    bool m_preferDecimal = true;
    bool m_preferDelta = false; ///< decimal chunks start as deltas, not delta-of-delta (sealChunk)
    /// The last sealed chunk's size: the next chunk reserves about as much at its first sample. Grown
    /// by doubling, every series' open chunk filled up in step with the others (they start together),
    /// and the writer's memory swung by a quarter of its size every few minutes.
    std::uint16_t m_chunkBytes = 0;
};

} // namespace pulse::storage
