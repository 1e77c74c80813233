// LogBlockCodec: the bytes of one stored block of log records (`log_block_data.data`,
// log_block_store.h).
//
// A block holds up to LogBlockStore::kLinesPerBlock consecutive records, compressed with zstd: lines
// of one log share most of their bytes (a user agent, a path, a date, the same target and file),
// which a row per line stored again and again (measured on the bench's nginx lines: 526 stored
// bytes a 161-byte line as rows, 52 as blocks). Two frames: what a query tests each line by
// (time, target, level, the line), then what only a wanted line needs (message, parsed fields),
// compressed with the first frame's bytes as a raw dictionary — they repeat parts of the line, and so
// cost about as little as in one frame (+1.6 %) — so a search decompresses the second only for a
// block with a hit (over 10M nginx lines: a rare word's first page ~100 -> ~90 ms; a substring in
// most blocks, whose second frames are all read, 96 -> ~115 ms).
//
//   data    = format byte (1) , varint length of frame A , frame A , frame B
//   A       = per record: zigzag varint time delta (from the previous record; the first from 0)
//             varint target' , varint file'     0: same as the previous record's, else length + 1, bytes
//             varint offset , byte level , byte flags (log_record_codec.h) , varint length, raw bytes
//   B       = per record: varint length, message bytes , varint length, fields (encodeLogFields)
//
// Every text is kept byte-exact (no encoding is assumed). Pure functions; any thread.
#pragma once

#include "core/base/error.h"
#include "core/logs/log_record.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pulse::storage {

class LogBlockCodec {
public:
    /// encode writes records [first, last) as a block's data.
    static Result<std::string> encode(const LogRecord *first, const LogRecord *last);

    /// Line is what frame A holds of a record, as views into its decompressed bytes (valid during
    /// the select callback only): enough to decide whether the record is wanted.
    struct Line {
        std::int64_t timeMs = 0;
        std::int64_t storeId = 0;
        std::string_view target, file;
        std::uint64_t offset = 0;
        LogLevel level = LogLevel::Unknown;
        std::uint8_t flags = 0;
        std::string_view raw;
    };
    /// select appends to out the records of a block that want accepts, in order, whole; each
    /// record's storeId is storeIdOf(blockId, its index). Fails on bytes that are not a block (cut
    /// short, another format, corrupt, a checksum that does not match); out may then hold records
    /// taken before the damage was found.
    static Result<void> select(std::string_view data, std::int64_t blockId,
                               const std::function<bool(const Line &)> &want, std::vector<LogRecord> &out);
    /// raws reads only the lines of a block (what its index entry is made of).
    static Result<std::vector<std::string>> raws(std::string_view data);

    /// storeIdOf orders records as they were stored: by block, then by place in the block.
    static std::int64_t storeIdOf(std::int64_t blockId, std::size_t index)
    {
        return blockId * kIdsPerBlock + static_cast<std::int64_t>(index);
    }
    static constexpr std::int64_t kIdsPerBlock = 256;
};

} // namespace pulse::storage
