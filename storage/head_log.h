// HeadLog: the writer's journal of samples that are in series heads but not yet in their head rows.
//
// Writing every changed head row at every commit costs one row rewrite per series per commit — at 1 s
// scrapes, one per sample. Instead each commit appends one `head_log` row holding every sample added
// since the previous commit, and head rows are rewritten round-robin (a checkpoint slice per commit,
// every head once per cycle; at once when a chunk sealed, so that no row duplicates a sealed chunk).
// When a cycle completes, every log row from before it began is covered by head rows and is deleted.
//
//   add(sample) --> HeadLogEncoder --commit--> head_log row (seq)
//                                                 |  read by: StoreWriter::restore (replayed onto the
//                                                 |  heads) and ReadConnection (overlaid on head rows)
//   checkpoint slice --> head rows --cycle wraps--> DELETE FROM head_log WHERE seq < cycle start
//
// Row format 2 (written): byte 0 = 2, then per sample: zigzag varint of the series id's difference
// from the previous sample's (the first from 0), zigzag varint of the timestamp's difference from the
// previous sample's (the first from 0), then the value as one varint V: when V & 7 is a digit count d
// in 0…6, the value is n / 10^d with n = unzigzag(V >> 3) (the decimal coding of chunk_encoder.h,
// bit-exact); when it is 7, the IEEE-754 bits follow in 8 bytes, little endian (staleness markers,
// NaN payloads, -0.0). A commit's samples come in scrape order, so ids step by one and most values are
// counters or short decimals: about 6 bytes a sample against format 1's 12, which is what a longer
// checkpoint cycle keeps in the file.
// Row format 1 (still read): byte 0 = 1, then per sample: varint series id, zigzag varint timestamp
// difference as above, 8 bytes of the value's bits.
#pragma once

#include "core/base/error.h"
#include "core/base/varint.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace pulse::storage {

inline constexpr unsigned char kHeadLogVersion = 2;
inline constexpr double kHeadLogPow10[7] = {1, 10, 100, 1000, 10000, 100000, 1000000};
inline constexpr std::uint64_t kHeadLogRawValue = 7;

/// HeadLogEncoder accumulates one log row. Not thread-safe.
class HeadLogEncoder {
public:
    /// add appends a sample. `knownDecimals` (0…6), when given, is a digit count the value is known to
    /// fit (ChunkEncoder::fitsDecimal held for it): the search for one is skipped.
    void add(std::int64_t seriesId, std::int64_t timestampMs, double value, int knownDecimals = -1);
    bool empty() const { return m_count == 0; }
    std::size_t count() const { return m_count; }
    const std::string &bytes() const { return m_bytes; }
    void clear();

private:
    std::string m_bytes;
    std::int64_t m_prevId = 0;
    std::int64_t m_prevTs = 0;
    std::size_t m_count = 0;
};

/// decodeHeadLog calls onSample(seriesId, timestampMs, value) for every sample of a row, in order.
template <class OnSample> Result<void> decodeHeadLog(std::string_view row, OnSample onSample);

namespace detail {
inline std::int64_t unzigzag(std::uint64_t v)
{
    return static_cast<std::int64_t>((v >> 1) ^ (0 - (v & 1)));
}
inline bool readRawDouble(std::string_view row, std::size_t &pos, double &value)
{
    if (row.size() - pos < 8)
        return false;
    std::uint64_t bits = 0;
    for (int i = 7; i >= 0; --i)
        bits = (bits << 8) | static_cast<unsigned char>(row[pos + static_cast<std::size_t>(i)]);
    pos += 8;
    static_assert(sizeof value == sizeof bits);
    std::memcpy(&value, &bits, sizeof value);
    return true;
}
} // namespace detail

template <class OnSample> Result<void> decodeHeadLog(std::string_view row, OnSample onSample)
{
    const unsigned version = row.empty() ? 0 : static_cast<unsigned char>(row[0]);
    if (version != 1 && version != 2)
        return fail("head log row has an unknown format");
    std::size_t pos = 1;
    std::int64_t id = 0;
    std::int64_t ts = 0;
    while (pos < row.size()) {
        std::uint64_t idCode = 0;
        std::uint64_t tsCode = 0;
        if (!readVarint(row, pos, idCode) || !readVarint(row, pos, tsCode))
            return fail("head log row is truncated");
        // Wrapping additions: the encoder's differences wrap the same way.
        id = version == 1 ? static_cast<std::int64_t>(idCode)
                          : static_cast<std::int64_t>(static_cast<std::uint64_t>(id) +
                                                      static_cast<std::uint64_t>(detail::unzigzag(idCode)));
        ts = static_cast<std::int64_t>(static_cast<std::uint64_t>(ts) + static_cast<std::uint64_t>(detail::unzigzag(tsCode)));
        double value = 0;
        if (version == 1) {
            if (!detail::readRawDouble(row, pos, value))
                return fail("head log row is truncated");
        } else {
            std::uint64_t valueCode = 0;
            if (!readVarint(row, pos, valueCode))
                return fail("head log row is truncated");
            const std::uint64_t digits = valueCode & 7;
            if (digits == kHeadLogRawValue) {
                if (!detail::readRawDouble(row, pos, value))
                    return fail("head log row is truncated");
            } else {
                value = static_cast<double>(detail::unzigzag(valueCode >> 3)) / kHeadLogPow10[digits];
            }
        }
        onSample(id, ts, value);
    }
    return {};
}

} // namespace pulse::storage
