// Rollup chunk codec (layout in rollup_codec.h).
#include "storage/rollup_codec.h"

#include "storage/bit_reader.h"
#include "storage/chunk_encoder.h"

#include <algorithm>
#include <cmath>
#include <new>

namespace pulse::storage {

namespace {

constexpr double kPow10[kMaxDecimals + 1] = {1, 10, 100, 1000, 10000, 100000, 1000000};

std::int64_t scaled(double v, int decimals)
{
    return static_cast<std::int64_t>(std::nearbyint(v * kPow10[decimals]));
}

// worst combines two "decimals needed" answers: the larger, or -1 (XOR) if either is.
int worst(int a, int b)
{
    return a < 0 || b < 0 ? -1 : std::max(a, b);
}

int valueDecimalsOf(const RollupBucket &b)
{
    return worst(worst(ChunkEncoder::decimalsNeeded(b.min), ChunkEncoder::decimalsNeeded(b.max)),
                 ChunkEncoder::decimalsNeeded(b.last));
}

struct IntReader {
    std::int64_t prev = 0;
    std::int64_t delta = 0;
    std::int64_t read(BitReader &in, bool first, bool compactFirst)
    {
        if (first) {
            prev = compactFirst ? readFirstInt(in) : static_cast<std::int64_t>(in.read(64));
        } else {
            delta = wrappingAdd(delta, readDod(in));
            prev = wrappingAdd(prev, delta);
        }
        return prev;
    }
};

} // namespace

RollupEncoder::RollupEncoder(int valueDecimals, int sumDecimals)
    : m_valueDecimals(static_cast<std::int8_t>(valueDecimals)), m_sumDecimals(static_cast<std::int8_t>(sumDecimals))
{
    m_last.start(valueDecimals >= 0);
    m_max.start(valueDecimals >= 0);
    m_min.start(valueDecimals >= 0);
    m_sum.start(sumDecimals >= 0);
}

void RollupEncoder::ValueStream::start(bool asInts)
{
    if (asInts)
        new (&ints) IntStream();
    else
        new (&floats) XorEncoder();
}

void RollupEncoder::IntStream::write(BitWriter &out, std::int64_t v, bool first)
{
    if (first) {
        writeFirstInt(out, v);
    } else {
        const std::int64_t d = wrappingSub(v, prev);
        writeDod(out, wrappingSub(d, delta));
        delta = d;
    }
    prev = v;
}

RollupEncoder RollupEncoder::encodeAll(const std::vector<RollupBucket> &buckets)
{
    RollupEncoder enc;
    encodeAllInto(buckets, enc);
    return enc;
}

void RollupEncoder::encodeAllInto(std::span<const RollupBucket> buckets, RollupEncoder &out)
{
    int values = buckets.empty() ? -1 : 0;
    int sums = values;
    for (const RollupBucket &b : buckets) {
        values = worst(values, valueDecimalsOf(b));
        sums = worst(sums, ChunkEncoder::decimalsNeeded(b.sum));
    }
    out.restart(values, sums);
    // Buckets fit by construction; lower the decimals of a failing group to XOR to be safe anyway.
    for (const RollupBucket &b : buckets) {
        if (!out.append(b)) {
            out.restart(-1, -1);
            for (const RollupBucket &x : buckets)
                out.append(x);
            return;
        }
    }
}

void RollupEncoder::restart(int valueDecimals, int sumDecimals)
{
    BitWriter bits = std::move(m_bits);
    bits.clear();
    *this = RollupEncoder(valueDecimals, sumDecimals);
    m_bits = std::move(bits);
}

bool RollupEncoder::append(const RollupBucket &b)
{
    const int v = m_valueDecimals;
    if (v >= 0 && !(ChunkEncoder::fitsDecimal(b.min, v) && ChunkEncoder::fitsDecimal(b.max, v) &&
                    ChunkEncoder::fitsDecimal(b.last, v)))
        return false;
    if (m_sumDecimals >= 0 && !ChunkEncoder::fitsDecimal(b.sum, m_sumDecimals))
        return false;
    const bool first = m_count == 0;
    if (first)
        m_firstStart = b.startMs;
    m_iStart.write(m_bits, b.startMs, first);
    m_iOffset.write(m_bits, wrappingSub(b.lastTimestampMs, b.startMs), first);
    m_iCount.write(m_bits, b.count, first);
    if (v >= 0) {
        const std::int64_t last = scaled(b.last, v);
        m_last.ints.write(m_bits, last, first);
        m_max.ints.write(m_bits, scaled(b.max, v) - last, first);
        m_min.ints.write(m_bits, last - scaled(b.min, v), first);
    } else {
        m_last.floats.write(m_bits, b.last);
        m_max.floats.write(m_bits, b.max);
        m_min.floats.write(m_bits, b.min);
    }
    if (m_sumDecimals >= 0)
        m_sum.ints.write(m_bits, scaled(b.sum, m_sumDecimals), first);
    else
        m_sum.floats.write(m_bits, b.sum);
    ++m_count;
    return true;
}

std::string RollupEncoder::bytes() const
{
    std::string out;
    appendTo(out);
    return out;
}

void RollupEncoder::appendTo(std::string &out) const
{
    out.push_back(static_cast<char>(kRollupChunkTag));
    out.push_back(static_cast<char>(m_count & 0xff));
    out.push_back(static_cast<char>((m_count >> 8) & 0xff));
    out.push_back(static_cast<char>(m_valueDecimals < 0 ? 0xff : m_valueDecimals));
    out.push_back(static_cast<char>(m_sumDecimals < 0 ? 0xff : m_sumDecimals));
    m_bits.appendTo(out);
}

Result<void> decodeRollups(std::string_view chunk, std::int64_t startMs, std::int64_t endMs,
                           std::vector<RollupBucket> &out)
{
    const auto tag = chunk.empty() ? 0 : static_cast<unsigned char>(chunk[0]);
    if (chunk.size() < kRollupHeaderBytes || (tag != kRollupChunkTag && tag != kRollupChunkTagV1))
        return fail("corrupt rollup chunk (bad header)");
    const bool compact = tag == kRollupChunkTag;
    const int count = static_cast<unsigned char>(chunk[1]) | (static_cast<unsigned char>(chunk[2]) << 8);
    const int rawValues = static_cast<unsigned char>(chunk[3]);
    const int rawSums = static_cast<unsigned char>(chunk[4]);
    const int v = rawValues == 0xff ? -1 : rawValues;
    const int s = rawSums == 0xff ? -1 : rawSums;
    if (v > kMaxDecimals || s > kMaxDecimals)
        return fail("corrupt rollup chunk (bad coding)");
    BitReader in(chunk.substr(kRollupHeaderBytes));
    XorDecoder mins, maxs, sums, lasts;
    IntReader iStart, iOffset, iCount, iLast, iMax, iMin, iSum;
    for (int i = 0; i < count; ++i) {
        const bool first = i == 0;
        RollupBucket b;
        b.startMs = iStart.read(in, first, compact);
        b.lastTimestampMs = wrappingAdd(b.startMs, iOffset.read(in, first, compact));
        b.count = iCount.read(in, first, compact);
        if (v >= 0) {
            const std::int64_t last = iLast.read(in, first, compact);
            b.last = static_cast<double>(last) / kPow10[v];
            b.max = static_cast<double>(wrappingAdd(last, iMax.read(in, first, compact))) / kPow10[v];
            b.min = static_cast<double>(wrappingSub(last, iMin.read(in, first, compact))) / kPow10[v];
        } else {
            b.last = lasts.read(in);
            b.max = maxs.read(in);
            b.min = mins.read(in);
        }
        b.sum = s >= 0 ? static_cast<double>(iSum.read(in, first, compact)) / kPow10[s] : sums.read(in);
        if (in.overrun())
            return fail("corrupt rollup chunk (truncated)");
        if (b.startMs > endMs)
            break;
        if (b.startMs >= startMs)
            out.push_back(b);
    }
    return {};
}

} // namespace pulse::storage
