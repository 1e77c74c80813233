// Rollup maintenance per series and resolution (lifecycle and policies in rollup_track.h).
#include "storage/rollup_track.h"

#include <algorithm>
#include <cstdint>

namespace pulse::storage {

void RollupTrack::add(std::int64_t seriesId, std::int64_t timestampMs, double value,
                      std::optional<std::int64_t> previousMs, SealedChunks &sealed)
{
    // Buckets are (start, start + resolution]: most samples fall in the open one, without a division.
    const bool inOpen = m_hasOpen && timestampMs > m_open.startMs && timestampMs - m_open.startMs <= m_resolutionMs;
    const std::int64_t start = inOpen ? m_open.startMs : bucketOf(timestampMs, m_resolutionMs);
    if (m_hasOpen && start != m_open.startMs)
        closeOpen(seriesId, sealed);
    if (!m_hasOpen) {
        m_open = RollupBucket{};
        m_open.startMs = start;
        m_hasOpen = true;
        // The series had a sample in this bucket that this track never saw (it came before a restart
        // and the bucket was not in the head row): the bucket would be incomplete.
        m_fate = previousMs && *previousMs > start ? Fate::Drop : Fate::ByPolicy;
    }
    m_open.add(timestampMs, value);
    if (headHasOpen())
        m_rowChanged = true; // a kept open bucket is part of the row
}

void RollupTrack::closeOpen(std::int64_t seriesId, SealedChunks &sealed)
{
    bool keep = m_fate == Fate::Keep;
    if (m_fate != Fate::Drop) {
        if (m_policy == Policy::DenseOnly && m_open.count >= kDenseEnterSamples)
            m_dense = true;
        else if (m_policy == Policy::DenseOnly && m_open.count < kDenseLeaveSamples)
            m_dense = false;
        keep = keep || m_policy == Policy::Always || m_dense;
    }
    // Seal at every close, kept or not, so a sparse track does not hold old buckets in its head row.
    const int sealAt = m_sealedQuads == 0 ? std::min(m_sealBuckets, m_firstSealBuckets) : m_sealBuckets;
    const bool full =
        m_closed.count() >= sealAt ||
        (m_closed.count() > 0 && m_open.startMs - m_closed.firstStartMs() >= m_sealBuckets * m_resolutionMs);
    if (full) {
        m_rowChanged = true;
        const std::size_t size = sealed
                                     .add(seriesId, m_resolutionMs, m_closed.firstStartMs(), m_closed.lastStartMs(),
                                          m_closed.count(), m_closed)
                                     .size;
        // Scaled to a full chunk, at most twice this one: a short chunk's header and first bucket (written
        // in full) would otherwise count as many times as the buckets it lacks.
        const std::size_t atFull = std::min(2 * size, size * static_cast<std::size_t>(m_sealBuckets) /
                                                          static_cast<std::size_t>(std::max(1, m_closed.count())));
        m_sealedQuads = static_cast<std::uint8_t>(std::clamp<std::size_t>((atFull + 3) / 4, 1, 255));
        m_closed = RollupEncoder{};
    }
    // A bucket holding only staleness markers has nothing to say.
    if (keep && m_open.count > 0) {
        // In place when the bucket fits the chunk's coding (almost always): no copy of the chunk so far.
        const bool first = m_closed.count() == 0;
        if (first || !m_closed.append(m_open))
            m_closed = withBucket(m_closed, m_open);
        if (first && m_sealedQuads > 0)
            m_closed.reserve(4u * m_sealedQuads);
        m_rowChanged = true;
    } else if (headHasOpen()) {
        m_rowChanged = true; // the row held this open bucket; it no longer will
    }
    m_hasOpen = false;
}

bool RollupTrack::headHasOpen() const
{
    // The 1-hour track (Policy::Always) keeps its open bucket in the row, so that a restart continues it
    // and the hour is never missing once raw samples expire. The 1-minute track's open bucket stays out of
    // the row unless it may be the only copy of its samples (Fate::Keep): readers compute it from the raw
    // samples, a restart drops it (Fate::Drop) and Downsampler stores it when the raw samples expire. So
    // a dense series rewrites its 1-minute row once a minute, not at every commit.
    if (!m_hasOpen || m_open.count == 0)
        return false;
    return m_fate == Fate::Keep || (m_fate == Fate::ByPolicy && m_policy == Policy::Always);
}

std::optional<std::int64_t> RollupTrack::openStartMs() const
{
    if (!m_hasOpen)
        return std::nullopt;
    return m_open.startMs;
}

bool RollupTrack::keepOpen()
{
    if (!m_hasOpen || m_fate == Fate::Drop)
        return false;
    m_fate = Fate::Keep;
    m_rowChanged = true;
    return true;
}

RollupEncoder RollupTrack::withBucket(const RollupEncoder &closed, const RollupBucket &bucket)
{
    if (closed.count() == 0)
        return RollupEncoder::encodeAll({bucket});
    RollupEncoder copy = closed;
    if (copy.append(bucket))
        return copy;
    // The bucket needs more decimals (or XOR): recode the chunk so far with it.
    std::vector<RollupBucket> all;
    if (!decodeRollups(closed.bytes(), INT64_MIN, INT64_MAX, all))
        all.clear();
    all.push_back(bucket);
    return RollupEncoder::encodeAll(all);
}

std::string RollupTrack::headBytes() const
{
    std::string out;
    RollupEncoder scratch;
    appendHeadTo(out, scratch);
    return out;
}

void RollupTrack::appendHeadTo(std::string &out, RollupEncoder &scratch) const
{
    if (!headHasOpen()) {
        m_closed.appendTo(out);
        return;
    }
    // What withBucket does, in `scratch`: copy-assigning reuses its buffer where a copy would allocate.
    if (m_closed.count() == 0) {
        RollupEncoder::encodeAllInto(std::span(&m_open, 1), scratch);
        scratch.appendTo(out);
        return;
    }
    scratch = m_closed;
    if (scratch.append(m_open))
        scratch.appendTo(out);
    else
        withBucket(m_closed, m_open).appendTo(out);
}

Result<void> RollupTrack::restore(std::string_view headRow)
{
    std::vector<RollupBucket> buckets;
    if (auto r = decodeRollups(headRow, INT64_MIN, INT64_MAX, buckets); !r)
        return r;
    m_closed = RollupEncoder{};
    m_hasOpen = false;
    if (buckets.empty())
        return {};
    m_open = buckets.back();
    buckets.pop_back();
    m_closed = RollupEncoder::encodeAll(buckets);
    m_hasOpen = true;
    m_fate = Fate::Keep;
    return {};
}

} // namespace pulse::storage
