// SealedChunk: a finished chunk on its way from a series head to the `chunk`/`rollup_chunk` table.
#pragma once

#include <cstdint>
#include <string>

namespace pulse::storage {

/// SealedChunk is one immutable chunk row. resolutionMs is 0 for raw samples, else the rollup's.
struct SealedChunk {
    std::int64_t seriesId = 0;
    std::int64_t resolutionMs = 0;
    std::int64_t startMs = 0;
    std::int64_t endMs = 0;
    int count = 0;
    std::string data;
};

} // namespace pulse::storage
