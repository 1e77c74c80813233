// LogBlockCodec: the bytes of one stored block of log records (`log_block.data`, log_block_index.h).
//
// A block holds up to LogBlockIndex::kLinesPerBlock consecutive records, one after the other, then
// compressed as one zstd frame: lines of one log share most of their bytes (a user agent, a path, a
// date, the same target and file), which a row per line stored again and again (measured on the
// bench's nginx lines: 526 stored bytes a 161-byte line as rows, ~40 as blocks).
//
//   data   = format byte (1: zstd) , zstd frame of the records
//   record = zigzag varint time delta (from the previous record; the first from 0)
//            varint target' , varint file'     0: same as the previous record's, else length + 1, bytes
//            varint offset , byte level , byte flags (log_record_codec.h)
//            varint length, message bytes , varint length, fields (encodeLogFields) , varint length, raw
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
    /// Line is one record of a block as views into the decompressed bytes (valid during the
    /// forEachLine callback only): enough to decide whether the record is wanted before building it.
    struct Line {
        std::int64_t timeMs = 0;
        std::int64_t storeId = 0;
        std::string_view target, file;
        std::uint64_t offset = 0;
        LogLevel level = LogLevel::Unknown;
        std::uint8_t flags = 0;
        std::string_view message, fields, raw;
        /// record builds the whole LogRecord.
        LogRecord record() const;
    };
    /// forEachLine calls visit for each record of a block's data, in order; each record's storeId is
    /// storeIdOf(blockId, its index). Fails on bytes that are not a block (cut short, another
    /// format, corrupt), after visiting the records before the damage.
    static Result<void> forEachLine(std::string_view data, std::int64_t blockId,
                                    const std::function<void(const Line &)> &visit);
    /// decode reads a whole block back (forEachLine, every record built).
    static Result<std::vector<LogRecord>> decode(std::string_view data, std::int64_t blockId);
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
