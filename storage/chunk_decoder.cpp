// Gorilla-style chunk decoding (layout in chunk_encoder.h).
#include "storage/chunk_decoder.h"

#include <algorithm>

namespace pulse::storage {

ChunkDecoder::ChunkDecoder(std::string_view chunk)
    : m_reader(chunk.size() >= kChunkHeaderBytes ? chunk.substr(kChunkHeaderBytes) : std::string_view())
{
    if (chunk.size() < kChunkHeaderBytes)
        return;
    const auto coding = static_cast<unsigned char>(chunk[0]);
    constexpr int kFirstDelta = 2 + kMaxDecimals + 1;
    if (coding < 1 || coding > kFirstDelta + kMaxDecimals)
        return;
    m_coding = coding == 1 ? ValueCoding::Xor : coding < kFirstDelta ? ValueCoding::Decimal : ValueCoding::DecimalDelta;
    m_decimals = coding == 1 ? 0 : coding < kFirstDelta ? coding - 2 : coding - kFirstDelta;
    for (int i = 0; i < m_decimals; ++i)
        m_scale *= 10;
    m_count = static_cast<unsigned char>(chunk[1]) | (static_cast<unsigned char>(chunk[2]) << 8);
    m_valid = true;
}

int ChunkDecoder::repeatRun(int max) const
{
    if (!m_valid || m_read == 0 || max <= 0)
        return 0;
    return std::min(m_reader.zeroBitsAhead() / 2, max);
}

bool ChunkDecoder::next(std::int64_t &timestampMs, double &value)
{
    if (!m_valid || m_read >= m_count || m_reader.overrun())
        return false;
    if (m_read == 0) {
        m_ts = static_cast<std::int64_t>(m_reader.read(64));
    } else {
        m_tsDelta = wrappingAdd(m_tsDelta, readDod(m_reader));
        m_ts = wrappingAdd(m_ts, m_tsDelta);
    }
    if (m_coding == ValueCoding::Xor) {
        value = m_xor.read(m_reader);
    } else {
        if (m_read == 0) {
            m_int = static_cast<std::int64_t>(m_reader.read(64));
        } else if (m_coding == ValueCoding::Decimal) {
            m_intDelta = wrappingAdd(m_intDelta, readDod(m_reader));
            m_int = wrappingAdd(m_int, m_intDelta);
        } else {
            m_int = wrappingAdd(m_int, readDod(m_reader));
        }
        value = static_cast<double>(m_int) / m_scale;
    }
    timestampMs = m_ts;
    ++m_read;
    return !m_reader.overrun();
}

Result<void> ChunkDecoder::decodeRange(std::string_view chunk, std::int64_t startMs, std::int64_t endMs,
                                       std::vector<std::int64_t> &timestampsMs, std::vector<double> &values)
{
    ChunkDecoder decoder(chunk);
    // Room for the whole chunk at once, growing geometrically across the chunks of a long range: grown
    // a sample at a time, reallocation and its page faults were a fifth of a one-day query.
    const std::size_t needed = timestampsMs.size() + static_cast<std::size_t>(decoder.count());
    if (timestampsMs.capacity() < needed) {
        const std::size_t capacity = std::max(needed, 2 * timestampsMs.capacity());
        timestampsMs.reserve(capacity);
        values.reserve(capacity);
    }
    std::int64_t ts = 0;
    double value = 0;
    while (decoder.next(ts, value)) {
        if (ts > endMs)
            break;
        if (ts >= startMs) {
            timestampsMs.push_back(ts);
            values.push_back(value);
        }
        // Regular series are mostly bare repeats (same step, same value or value step): take a run of
        // them from one look at the stream instead of two bit reads each.
        const int run = decoder.repeatRun(decoder.m_count - decoder.m_read);
        if (run == 0)
            continue;
        const bool stepping = decoder.m_coding == ValueCoding::Decimal && decoder.m_intDelta != 0;
        int taken = 0;
        for (; taken < run; ++taken) {
            ts = wrappingAdd(ts, decoder.m_tsDelta);
            if (ts > endMs)
                break;
            if (stepping) {
                decoder.m_int = wrappingAdd(decoder.m_int, decoder.m_intDelta);
                value = static_cast<double>(decoder.m_int) / decoder.m_scale;
            }
            if (ts >= startMs) {
                timestampsMs.push_back(ts);
                values.push_back(value);
            }
        }
        if (taken < run)
            break;
        decoder.m_ts = ts;
        decoder.m_read += run;
        decoder.m_reader.skip(2 * run);
    }
    if (decoder.corrupt())
        return fail("corrupt chunk (" + std::to_string(chunk.size()) + " bytes)");
    return {};
}

} // namespace pulse::storage
