// Gorilla-style chunk encoding (layout in chunk_encoder.h).
#include "storage/chunk_encoder.h"

#include "storage/chunk_decoder.h"

#include <cmath>

namespace pulse::storage {

bool ChunkEncoder::fitsInteger(double value)
{
    constexpr double kLimit = 9007199254740992.0; // 2^53: every integer up to here is exact
    if (!(std::fabs(value) <= kLimit) || std::trunc(value) != value)
        return false;
    return !(value == 0.0 && std::signbit(value));
}

bool ChunkEncoder::append(std::int64_t timestampMs, double value)
{
    if (m_coding == ValueCoding::Integer && !fitsInteger(value))
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
        const auto v = static_cast<std::int64_t>(value);
        if (m_count == 0) {
            m_bits.write(static_cast<std::uint64_t>(v), 64);
        } else {
            const std::int64_t delta = wrappingSub(v, m_lastInt);
            writeDod(m_bits, wrappingSub(delta, m_intDelta));
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
    out.push_back(static_cast<char>(m_coding));
    out.push_back(static_cast<char>(m_count & 0xff));
    out.push_back(static_cast<char>((m_count >> 8) & 0xff));
    m_bits.appendTo(out);
    return out;
}

bool ChunkEncoder::recode(std::string_view chunk, ValueCoding coding, ChunkEncoder &out)
{
    out = ChunkEncoder(coding);
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
