// The head log row codec (format in head_log.h).
#include "storage/head_log.h"

#include "storage/varint.h"

#include <cstring>

namespace pulse::storage {

void HeadLogEncoder::add(std::int64_t seriesId, std::int64_t timestampMs, double value)
{
    if (m_bytes.empty())
        m_bytes.push_back(static_cast<char>(kHeadLogVersion));
    appendVarint(m_bytes, static_cast<std::uint64_t>(seriesId));
    // Wrapping subtraction: timestamps are within ±10^15 ms, but keep the arithmetic defined anyway.
    const auto delta = static_cast<std::int64_t>(static_cast<std::uint64_t>(timestampMs) - static_cast<std::uint64_t>(m_prevTs));
    appendVarint(m_bytes, (static_cast<std::uint64_t>(delta) << 1) ^ static_cast<std::uint64_t>(delta >> 63));
    m_prevTs = timestampMs;
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    for (int i = 0; i < 8; ++i) {
        m_bytes.push_back(static_cast<char>(bits & 0xff));
        bits >>= 8;
    }
    ++m_count;
}

void HeadLogEncoder::clear()
{
    m_bytes.clear();
    m_prevTs = 0;
    m_count = 0;
}


} // namespace pulse::storage
