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
// Row format: byte 0 = 1 (version), then per sample: varint series id, zigzag varint timestamp delta
// from the previous sample of the row (the first from 0), 8 bytes of the value's IEEE-754 bits (little
// endian; staleness markers and NaN payloads survive).
#pragma once

#include "core/error.h"
#include "storage/varint.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace pulse::storage {

inline constexpr unsigned char kHeadLogVersion = 1;

/// HeadLogEncoder accumulates one log row. Not thread-safe.
class HeadLogEncoder {
public:
    void add(std::int64_t seriesId, std::int64_t timestampMs, double value);
    bool empty() const { return m_count == 0; }
    std::size_t count() const { return m_count; }
    const std::string &bytes() const { return m_bytes; }
    void clear();

private:
    std::string m_bytes;
    std::int64_t m_prevTs = 0;
    std::size_t m_count = 0;
};

/// decodeHeadLog calls onSample(seriesId, timestampMs, value) for every sample of a row, in order.
template <class OnSample> Result<void> decodeHeadLog(std::string_view row, OnSample onSample);

template <class OnSample> Result<void> decodeHeadLog(std::string_view row, OnSample onSample)
{
    if (row.empty() || static_cast<unsigned char>(row[0]) != kHeadLogVersion)
        return fail("head log row has an unknown format");
    std::size_t pos = 1;
    std::int64_t ts = 0;
    while (pos < row.size()) {
        std::uint64_t id = 0;
        std::uint64_t zigzag = 0;
        if (!readVarint(row, pos, id) || !readVarint(row, pos, zigzag) || row.size() - pos < 8)
            return fail("head log row is truncated");
        const std::uint64_t delta = (zigzag >> 1) ^ (0 - (zigzag & 1));
        ts = static_cast<std::int64_t>(static_cast<std::uint64_t>(ts) + delta);
        std::uint64_t bits = 0;
        for (int i = 7; i >= 0; --i)
            bits = (bits << 8) | static_cast<unsigned char>(row[pos + static_cast<std::size_t>(i)]);
        pos += 8;
        double value = 0;
        static_assert(sizeof value == sizeof bits);
        std::memcpy(&value, &bits, sizeof value);
        onSample(static_cast<std::int64_t>(id), ts, value);
    }
    return {};
}

} // namespace pulse::storage
