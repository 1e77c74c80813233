// Gorilla-style chunk encoding (layout in chunk_encoder.h).
#include "storage/chunk_encoder.h"

#include "storage/chunk_decoder.h"

#include <bit>
#include <cmath>

namespace pulse::storage {

namespace {
constexpr double kPow10[kMaxDecimals + 1] = {1, 10, 100, 1000, 10000, 100000, 1000000};
constexpr double kExactLimit = 9007199254740992.0; // 2^53: every integer up to here is exact
} // namespace

bool ChunkEncoder::fitsDecimal(double value, int decimals)
{
    const double scale = kPow10[decimals];
    if (!(std::fabs(value) * scale <= kExactLimit) || (value == 0.0 && std::signbit(value)))
        return false;
    const double n = std::nearbyint(value * scale);
    return std::bit_cast<std::uint64_t>(n / scale) == std::bit_cast<std::uint64_t>(value);
}

int ChunkEncoder::decimalsNeeded(double value)
{
    for (int d = 0; d <= kMaxDecimals; ++d) {
        if (fitsDecimal(value, d))
            return d;
    }
    return -1;
}

bool ChunkEncoder::append(std::int64_t timestampMs, double value)
{
    if (isDecimal(m_coding) && !fitsDecimal(value, m_decimals))
        return false;
    if (m_count == 0) {
        m_bits.write(static_cast<std::uint64_t>(timestampMs), 64);
        m_firstTs = timestampMs;
    } else {
        const std::int64_t delta = wrappingSub(timestampMs, m_lastTs);
        writeDod(m_bits, wrappingSub(delta, m_tsDelta));
        m_tsDelta = delta;
    }
    m_lastTs = timestampMs;

    if (m_coding == ValueCoding::Xor) {
        m_xor.write(m_bits, value);
    } else {
        const auto v = static_cast<std::int64_t>(std::nearbyint(value * kPow10[m_decimals]));
        if (m_count == 0) {
            m_bits.write(static_cast<std::uint64_t>(v), 64);
        } else {
            const std::int64_t delta = wrappingSub(v, m_lastInt);
            // Sample 1's delta-of-delta is its delta (the delta before it counts as 0), so both
            // orders agree on it.
            const std::int64_t dod = wrappingSub(delta, m_intDelta);
            const std::int64_t written = m_coding == ValueCoding::Decimal ? dod : delta;
            const std::int64_t other = m_coding == ValueCoding::Decimal ? delta : dod;
            writeDod(m_bits, written);
            m_valueBits += dodCodeBits(written);
            m_otherOrderBits += dodCodeBits(other);
            m_intDelta = delta;
        }
        m_lastInt = v;
    }
    ++m_count;
    return true;
}

std::string ChunkEncoder::bytes() const
{
    std::string out;
    out.reserve(sizeBytes());
    appendTo(out);
    return out;
}

void ChunkEncoder::appendTo(std::string &out) const
{
    out.push_back(static_cast<char>(m_coding == ValueCoding::Xor       ? 1
                                    : m_coding == ValueCoding::Decimal ? 2 + m_decimals
                                                                       : 2 + kMaxDecimals + 1 + m_decimals));
    out.push_back(static_cast<char>(m_count & 0xff));
    out.push_back(static_cast<char>((m_count >> 8) & 0xff));
    m_bits.appendTo(out);
}

bool ChunkEncoder::recode(std::string_view chunk, ValueCoding coding, int decimals, ChunkEncoder &out)
{
    out = ChunkEncoder(coding, decimals);
    ChunkDecoder decoder(chunk);
    std::int64_t ts = 0;
    double value = 0;
    while (decoder.next(ts, value)) {
        if (!out.append(ts, value))
            return false;
    }
    return !decoder.corrupt();
}

} // namespace pulse::storage
