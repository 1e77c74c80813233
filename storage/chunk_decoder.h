// ChunkDecoder: reads the samples of a chunk written by ChunkEncoder (layout in chunk_encoder.h).
#pragma once

#include "core/base/error.h"
#include "storage/bit_reader.h"
#include "storage/chunk_encoder.h"
#include "storage/gorilla_coding.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace pulse::storage {

/// ChunkDecoder iterates a chunk's samples oldest first. The view must outlive the decoder.
class ChunkDecoder {
public:
    explicit ChunkDecoder(std::string_view chunk);

    /// valid is false when the header is malformed; next() then yields nothing.
    bool valid() const { return m_valid; }
    int count() const { return m_count; }
    /// next decodes one sample; false at the end or when the stream turns out corrupt (see corrupt()).
    bool next(std::int64_t &timestampMs, double &value);
    bool corrupt() const { return !m_valid || m_reader.overrun(); }
    ValueCoding coding() const { return m_coding; }
    int decimals() const { return m_decimals; }

    /// decodeRange appends the chunk's samples within [startMs, endMs] to the two vectors.
    static Result<void> decodeRange(std::string_view chunk, std::int64_t startMs, std::int64_t endMs,
                                    std::vector<std::int64_t> &timestampsMs, std::vector<double> &values);

private:
    // repeatRun: how many of the next samples are bare repeats (two zero bits each: the same
    // timestamp step and the same value, or value step), at most `max`.
    int repeatRun(int max) const;

    BitReader m_reader;
    XorDecoder m_xor;
    ValueCoding m_coding = ValueCoding::Xor;
    double m_scale = 1;
    bool m_valid = false;
    int m_decimals = 0;
    int m_count = 0;
    int m_read = 0;
    std::int64_t m_ts = 0;
    std::int64_t m_tsDelta = 0;
    std::int64_t m_int = 0;
    std::int64_t m_intDelta = 0;
};

} // namespace pulse::storage
