// SealedChunks: the chunks sealed between two commits, on their way from the series heads to the
// `chunk`/`rollup_chunk` tables.
//
// Series started together seal together: 200 targets scraped every second seal 100k raw chunks in the
// same commit every 8 minutes. Their bytes go to one buffer that commits empty but keep, instead of a
// string per chunk: a string per chunk, freed after the commit between the heads' long-lived buffers,
// left holes that later allocations pinned, and the writer's resident memory stepped up at every burst.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pulse::storage {

/// SealedChunk is one immutable chunk row; its bytes are in the SealedChunks that holds it.
/// resolutionMs is 0 for raw samples, else the rollup's.
struct SealedChunk {
    std::int64_t seriesId = 0;
    std::int64_t resolutionMs = 0;
    std::int64_t startMs = 0;
    std::int64_t endMs = 0;
    std::size_t offset = 0; ///< of the chunk's bytes in the shared buffer
    std::uint32_t size = 0;
    int count = 0;
};

/// SealedChunks is a list of sealed chunks and their bytes. Not thread-safe.
class SealedChunks {
public:
    /// add appends a chunk; `encoder.appendTo(std::string &)` writes its bytes (ChunkEncoder, RollupEncoder).
    template <typename Encoder>
    const SealedChunk &add(std::int64_t seriesId, std::int64_t resolutionMs, std::int64_t startMs, std::int64_t endMs,
                           int count, const Encoder &encoder)
    {
        const std::size_t offset = m_bytes.size();
        encoder.appendTo(m_bytes);
        m_chunks.push_back(SealedChunk{seriesId, resolutionMs, startMs, endMs, offset,
                                       static_cast<std::uint32_t>(m_bytes.size() - offset), count});
        return m_chunks.back();
    }

    std::string_view bytes(const SealedChunk &c) const { return std::string_view(m_bytes).substr(c.offset, c.size); }
    bool empty() const { return m_chunks.empty(); }
    std::size_t size() const { return m_chunks.size(); }
    std::vector<SealedChunk>::const_iterator begin() const { return m_chunks.begin(); }
    std::vector<SealedChunk>::const_iterator end() const { return m_chunks.end(); }
    /// clear forgets the chunks and keeps the memory for the next ones.
    void clear()
    {
        m_chunks.clear();
        m_bytes.clear();
    }

private:
    std::vector<SealedChunk> m_chunks;
    std::string m_bytes;
};

} // namespace pulse::storage
