// Per-series head state of the writer (chunk lifecycle in series_head.h).
#include "storage/series_head.h"

#include "storage/chunk_decoder.h"

#include <algorithm>
#include <cstdint>

namespace pulse::storage {

SeriesHead::SeriesHead(std::int64_t seriesId) : m_id(seriesId) {}

bool SeriesHead::append(std::int64_t timestampMs, double value, SealedChunks &sealed)
{
    if (m_hasLast && timestampMs <= m_lastTs)
        return false;
    if (m_chunk.count() >= kSealSamples ||
        (m_chunk.count() > 0 &&
         static_cast<std::uint64_t>(timestampMs) - static_cast<std::uint64_t>(m_chunk.firstTimestampMs()) >=
             static_cast<std::uint64_t>(kMaxChunkSpanMs)))
        sealChunk(sealed);
    if (m_chunk.count() == 0) {
        const int decimals = m_preferDecimal ? ChunkEncoder::decimalsNeeded(value) : -1;
        if (decimals >= 0)
            m_chunk.restart(m_preferDelta ? ValueCoding::DecimalDelta : ValueCoding::Decimal, decimals);
        else
            m_chunk.restart(ValueCoding::Xor, 0);
        if (m_chunkBytes > 0 && m_chunk.capacity() < m_chunkBytes)
            m_chunk.reserve(m_chunkBytes + m_chunkBytes / 8u);
    }
    if (!m_chunk.append(timestampMs, value)) {
        // More decimals than the chunk was started with: recode with as many, or as XOR floats when
        // the value is no short decimal at all.
        const int decimals = ChunkEncoder::decimalsNeeded(value);
        ChunkEncoder recoded;
        const std::string old = m_chunk.bytes();
        const ValueCoding order = m_preferDelta ? ValueCoding::DecimalDelta : ValueCoding::Decimal;
        if (decimals < 0 || !ChunkEncoder::recode(old, order, decimals, recoded)) {
            ChunkEncoder::recode(old, ValueCoding::Xor, 0, recoded);
            // A series that was no short decimal once will likely be so again; don't thrash.
            m_preferDecimal = false;
        }
        m_chunk = std::move(recoded);
        m_chunk.append(timestampMs, value);
    }
    const std::optional<std::int64_t> previous = m_hasLast ? std::optional(m_lastTs) : std::nullopt;
    m_m1.add(m_id, timestampMs, value, previous, sealed);
    m_h1.add(m_id, timestampMs, value, previous, sealed);
    m_lastTs = timestampMs;
    m_hasLast = true;
    m_dirty = true;
    return true;
}

void SeriesHead::sealChunk(SealedChunks &sealed)
{
    if (m_chunk.otherOrderIsCheaper()) {
        // Recoding a chunk the encoder wrote cannot fail; keep the chunk as it is if it somehow does.
        ChunkEncoder recoded;
        if (ChunkEncoder::recode(m_chunk.bytes(), m_chunk.otherOrder(), m_chunk.decimals(), recoded))
            m_chunk = std::move(recoded);
    }
    const SealedChunk &c =
        sealed.add(m_id, 0, m_chunk.firstTimestampMs(), m_chunk.lastTimestampMs(), m_chunk.count(), m_chunk);
    m_chunkBytes = static_cast<std::uint16_t>(std::min<std::size_t>(c.size, UINT16_MAX));
    m_preferDecimal = isDecimal(m_chunk.coding());
    // The next chunk starts in the order this one ended up in: a series' shape rarely changes, so
    // the open chunk (and its head rows) is usually in the cheaper order already.
    m_preferDelta = m_chunk.coding() == ValueCoding::DecimalDelta;
    m_chunk.restart(ValueCoding::Xor, 0);
}

Result<void> SeriesHead::restoreChunk(std::string_view headRow)
{
    ChunkDecoder probe(headRow);
    if (!probe.valid())
        return fail("corrupt head chunk of series " + std::to_string(m_id));
    if (!ChunkEncoder::recode(headRow, probe.coding(), probe.decimals(), m_chunk))
        return fail("corrupt head chunk of series " + std::to_string(m_id));
    if (m_chunk.count() > 0)
        setLastTimestamp(m_chunk.lastTimestampMs());
    m_preferDecimal = isDecimal(probe.coding());
    m_preferDelta = probe.coding() == ValueCoding::DecimalDelta;
    return {};
}

Result<void> SeriesHead::restoreRollup(std::int64_t resolutionMs, std::string_view headRow)
{
    return resolutionMs == kRollup1hMs ? m_h1.restore(headRow) : m_m1.restore(headRow);
}

void SeriesHead::setLastTimestamp(std::int64_t timestampMs)
{
    if (!m_hasLast || timestampMs > m_lastTs) {
        m_lastTs = timestampMs;
        m_hasLast = true;
    }
}

} // namespace pulse::storage
