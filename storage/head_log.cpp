// The head log row codec (format in head_log.h).
#include "storage/head_log.h"

#include "core/base/varint.h"
#include "storage/chunk_encoder.h"

#include <cmath>

#include <cstring>

namespace pulse::storage {

namespace {
std::uint64_t zigzag(std::int64_t v)
{
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
// Wrapping subtraction: ids and timestamps are far from the limits, but keep the arithmetic defined.
std::int64_t difference(std::int64_t a, std::int64_t b)
{
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b));
}
} // namespace

void HeadLogEncoder::add(std::int64_t seriesId, std::int64_t timestampMs, double value, int knownDecimals)
{
    if (m_bytes.empty())
        m_bytes.push_back(static_cast<char>(kHeadLogVersion));
    appendVarint(m_bytes, zigzag(difference(seriesId, m_prevId)));
    appendVarint(m_bytes, zigzag(difference(timestampMs, m_prevTs)));
    m_prevId = seriesId;
    m_prevTs = timestampMs;
    static_assert(kMaxDecimals + 1 == kHeadLogRawValue);
    const bool known = knownDecimals >= 0 && knownDecimals <= kMaxDecimals;
    const int digits = known ? knownDecimals : ChunkEncoder::decimalsNeeded(value);
    ++m_count;
    if (digits >= 0) {
        // fitsDecimal holds: |n| <= 2^53, so zigzag(n) << 3 stays below 2^57.
        const auto d = static_cast<std::uint64_t>(digits);
        const auto n = static_cast<std::int64_t>(std::nearbyint(value * kHeadLogPow10[d]));
        appendVarint(m_bytes, (zigzag(n) << 3) | d);
        return;
    }
    appendVarint(m_bytes, kHeadLogRawValue);
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    for (int i = 0; i < 8; ++i) {
        m_bytes.push_back(static_cast<char>(bits & 0xff));
        bits >>= 8;
    }
}

void HeadLogEncoder::clear()
{
    m_bytes.clear();
    m_prevId = 0;
    m_prevTs = 0;
    m_count = 0;
}

} // namespace pulse::storage
