// Rollup chunk codec (layout in rollup_codec.h).
#include "storage/rollup_codec.h"

#include "storage/bit_reader.h"

namespace pulse::storage {

void RollupEncoder::append(const RollupBucket &b)
{
    const std::int64_t offset = wrappingSub(b.lastTimestampMs, b.startMs);
    if (m_count == 0) {
        m_bits.write(static_cast<std::uint64_t>(b.startMs), 64);
        m_firstStart = b.startMs;
    } else {
        const std::int64_t delta = wrappingSub(b.startMs, m_lastStart);
        writeDod(m_bits, wrappingSub(delta, m_startDelta));
        m_startDelta = delta;
    }
    writeDod(m_bits, wrappingSub(offset, m_lastOffset));
    writeDod(m_bits, wrappingSub(b.count, m_lastCount));
    m_min.write(m_bits, b.min);
    m_max.write(m_bits, b.max);
    m_sum.write(m_bits, b.sum);
    m_last.write(m_bits, b.last);
    m_lastStart = b.startMs;
    m_lastOffset = offset;
    m_lastCount = b.count;
    ++m_count;
}

std::string RollupEncoder::bytes() const
{
    std::string out;
    out.push_back(static_cast<char>(kRollupChunkTag));
    out.push_back(static_cast<char>(m_count & 0xff));
    out.push_back(static_cast<char>((m_count >> 8) & 0xff));
    m_bits.appendTo(out);
    return out;
}

Result<void> decodeRollups(std::string_view chunk, std::int64_t startMs, std::int64_t endMs,
                           std::vector<RollupBucket> &out)
{
    if (chunk.size() < 3 || static_cast<unsigned char>(chunk[0]) != kRollupChunkTag)
        return fail("corrupt rollup chunk (bad header)");
    const int count = static_cast<unsigned char>(chunk[1]) | (static_cast<unsigned char>(chunk[2]) << 8);
    BitReader in(chunk.substr(3));
    XorDecoder mins, maxs, sums, lasts;
    std::int64_t start = 0, startDelta = 0, offset = 0, n = 0;
    for (int i = 0; i < count; ++i) {
        if (i == 0) {
            start = static_cast<std::int64_t>(in.read(64));
        } else {
            startDelta = wrappingAdd(startDelta, readDod(in));
            start = wrappingAdd(start, startDelta);
        }
        offset = wrappingAdd(offset, readDod(in));
        n = wrappingAdd(n, readDod(in));
        RollupBucket b;
        b.startMs = start;
        b.lastTimestampMs = wrappingAdd(start, offset);
        b.count = n;
        b.min = mins.read(in);
        b.max = maxs.read(in);
        b.sum = sums.read(in);
        b.last = lasts.read(in);
        if (in.overrun())
            return fail("corrupt rollup chunk (truncated)");
        if (start > endMs)
            break;
        if (start >= startMs)
            out.push_back(b);
    }
    return {};
}

} // namespace pulse::storage
