// RollupTrack: the rollup of one series at one resolution as samples arrive.
//
// Bucket lifecycle (buckets are (start, start + resolution], see rollup_bucket.h):
//
//   (none) --add: first sample--> open --add: sample in a later bucket--> closed --kept?--> m_closed
//                                   ^                                        |   \--not kept--> dropped
//                                   +--------- opens the new bucket <--------+
//   m_closed --a close finds sealBuckets buckets or a span ≥ sealBuckets × resolution--> sealed
//            (SealedChunk, immutable). The writer seals 1-minute tracks at 15 buckets and 1-hour tracks at
//            24, so a series' closed buckets in memory stay small. A 1-minute track's first chunk after
//            start or restore seals at firstSealBuckets (5) already: the tracks of all series start
//            together, and from then on each chunk reserves what the one before it took (scaled to
//            sealBuckets), so the writer's memory levels off within minutes instead of stepping up at
//            the first seal.
//
// Which closed buckets are kept (closeOpen):
//   Policy::Always     every bucket (the 1-hour tier).
//   Policy::DenseOnly  buckets closed while the series is dense (the 1-minute tier). The series turns
//                      dense when a bucket closes with ≥ kDenseEnterSamples samples (≤ 5 s apart) and
//                      sparse when one closes with < kDenseLeaveSamples (> 10 s apart); the gap between
//                      the two keeps a series near a threshold from flapping. A sparse series' buckets
//                      would cost more than the raw samples they summarise; readers rebuild them from the
//                      raw chunks, and Downsampler writes them when those chunks expire.
//   Fate overrides the policy for the open bucket:
//     Keep  restored from the head row (it may be the only copy of its samples), or asked for by
//           keepOpen() because retention is deleting the raw samples of the bucket;
//     Drop  opened after a restart while the series already had samples in it (a sparse track's open
//           bucket is not persisted), so it would be incomplete.
//
// Invariant: a kept bucket is complete, it summarises every sample of the series in its interval.
// Readers rely on it: where a bucket is stored they do not look at raw samples, and where none is
// they do (ReadConnection::readTier).
//
// headBytes() encodes m_closed plus the open bucket when it is in the row: always for Policy::Always
// (the 1-hour track), and for Policy::DenseOnly only under Fate::Keep (it may be the only copy of its
// samples) — readers compute a dense track's open minute from the raw samples. That is the
// `rollup_head` row; a commit rewrites it only when it changed (rowChanged), so a dense series' 1-minute
// row is written once a minute rather than at every commit. restore() rebuilds the track from that row;
// its last bucket becomes the open one (Fate::Keep): continued if it was open, closed and kept again by
// the next sample in a later bucket if it was closed.
#pragma once

#include "core/base/error.h"
#include "storage/rollup_bucket.h"
#include "storage/rollup_codec.h"
#include "storage/sealed_chunks.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pulse::storage {

inline constexpr int kRollupChunkBuckets = 240;
static_assert(kRollupChunkBuckets <= 255, "RollupTrack keeps its seal sizes in a byte");
inline constexpr std::int64_t kDenseEnterSamples = 12;
inline constexpr std::int64_t kDenseLeaveSamples = 6;

class RollupTrack {
public:
    enum class Policy : std::uint8_t { Always, DenseOnly };

    /// sealBuckets (at most kRollupChunkBuckets, the readers' bound) is how many closed buckets the track
    /// holds in memory before it seals them into a chunk: it bounds the writer's memory per series.
    /// firstSealBuckets (0: sealBuckets) applies to the first chunk after construction or restore.
    explicit RollupTrack(std::int64_t resolutionMs = 60'000, Policy policy = Policy::Always,
                         int sealBuckets = kRollupChunkBuckets, int firstSealBuckets = 0)
        : m_resolutionMs(resolutionMs), m_sealBuckets(clampSeal(sealBuckets)),
          m_firstSealBuckets(firstSealBuckets > 0 ? clampSeal(firstSealBuckets) : m_sealBuckets),
          m_policy(policy)
    {
    }

    /// add folds a sample in; timestamps must increase. `previousMs` is the series' sample before this
    /// one, if any (also one this track never saw, from before a restart). Sealed chunks go to `sealed`.
    void add(std::int64_t seriesId, std::int64_t timestampMs, double value, std::optional<std::int64_t> previousMs,
             SealedChunks &sealed);
    /// restore rebuilds the track from a `rollup_head` row written by headBytes(); its last bucket
    /// becomes the open one and is kept when it closes.
    Result<void> restore(std::string_view headRow);
    /// keepOpen makes the open bucket kept when it closes, whatever the policy: retention is deleting
    /// its raw samples. False (nothing changed) when the open bucket is incomplete and cannot stand in
    /// for them.
    bool keepOpen();

    std::int64_t resolutionMs() const { return m_resolutionMs; }
    /// openStartMs is the key of the open bucket, if there is one.
    std::optional<std::int64_t> openStartMs() const;
    bool dense() const { return m_dense; }

    /// hasHeadRow tells whether headBytes() has any bucket; without one the `rollup_head` row is deleted.
    bool hasHeadRow() const { return m_closed.count() > 0 || headHasOpen(); }
    /// headBytes encodes m_closed (+ the open bucket, see the file comment); startMs/endMs/count describe it.
    std::string headBytes() const;
    /// appendHeadTo appends headBytes() to `out`; `scratch` is an encoder the call may overwrite (the
    /// writer keeps one, so that a head row costs no allocation).
    void appendHeadTo(std::string &out, RollupEncoder &scratch) const;
    std::int64_t headStartMs() const { return m_closed.count() ? m_closed.firstStartMs() : m_open.startMs; }
    std::int64_t headEndMs() const { return headHasOpen() ? m_open.startMs : m_closed.lastStartMs(); }
    int headCount() const { return m_closed.count() + (headHasOpen() ? 1 : 0); }
    /// rowChanged: headBytes() differs from what the last markRowWritten() saw.
    bool rowChanged() const { return m_rowChanged; }
    /// prefetch asks for the cache lines add() touches in the common case (a sample in the open bucket).
    void prefetch() const
    {
        __builtin_prefetch(&m_resolutionMs, 1);
        __builtin_prefetch(&m_open, 1);
        __builtin_prefetch(&m_rowChanged, 1);
    }
    void markRowWritten() { m_rowChanged = false; }

private:
    enum class Fate : std::uint8_t { ByPolicy, Keep, Drop };

    // clampSeal keeps a seal size within 1 … kRollupChunkBuckets (and so within the byte it is kept in).
    static std::uint8_t clampSeal(int buckets)
    {
        return static_cast<std::uint8_t>(buckets < 1 ? 1 : buckets > kRollupChunkBuckets ? kRollupChunkBuckets : buckets);
    }

    void closeOpen(std::int64_t seriesId, SealedChunks &sealed);
    bool headHasOpen() const;
    // withBucket returns `closed` plus `bucket`, recoded when the bucket does not fit its decimals.
    static RollupEncoder withBucket(const RollupEncoder &closed, const RollupBucket &bucket);

    // Two tracks per series: the small fields share one word after the others (240 bytes a track).
    // m_sealedQuads: what the last sealed chunk would take at sealBuckets buckets, in 4-byte units (at
    // most 255; 0 before the first seal). The next chunk reserves that much at its first bucket.
    std::int64_t m_resolutionMs;
    RollupEncoder m_closed;
    RollupBucket m_open;
    std::uint8_t m_sealBuckets;
    std::uint8_t m_firstSealBuckets;
    Policy m_policy;
    Fate m_fate = Fate::ByPolicy;
    bool m_hasOpen = false;
    bool m_dense = false;
    bool m_rowChanged = false;
    std::uint8_t m_sealedQuads = 0;
};

} // namespace pulse::storage
