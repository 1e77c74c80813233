// LogTailerLineBuffer: turns the bytes a LogTailer reads into complete lines, holding a partial last
// line until its newline arrives and cutting lines that grow past the maximum length.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pulse {

/// TailLine is one complete line: its bytes without the terminator ("\n", "\r\n", or a lone "\r"
/// as old Mac files and progress output end lines), the file offset of its first byte, and whether
/// it was cut at the maximum length.
struct TailLine {
    std::string bytes;
    std::uint64_t offset = 0;
    bool truncated = false;
};

/// LogTailerLineBuffer assembles lines from consecutive chunks of one file. A line longer than
/// maxLineBytes is emitted as soon as it reaches that length, flagged truncated, and the rest of it
/// (up to its newline) is skipped, so memory per file stays bounded by maxLineBytes.
/// Not thread-safe: it belongs to one LogTailer.
class LogTailerLineBuffer {
public:
    explicit LogTailerLineBuffer(std::size_t maxLineBytes);

    /// reset forgets any partial line; the next byte fed is at offset.
    void reset(std::uint64_t offset);
    /// feed consumes data, which must start at nextOffset(), appending complete lines to out until
    /// out holds maxLines lines. Returns how many bytes of data were consumed: all of them unless
    /// out filled up, in which case the caller feeds the rest later.
    std::size_t feed(std::string_view data, std::vector<TailLine> &out, std::size_t maxLines);
    /// flush emits the partial line, if any, as a complete one: its writer has moved on (rotation,
    /// truncation, deletion) and the newline will never come.
    std::optional<TailLine> flush();

    /// lineStart is the offset of the first byte not yet part of an emitted line: where to resume
    /// after a restart. While an over-long line is being skipped it is that line's start, so a
    /// restart re-emits the truncated line rather than showing its tail as a line of its own.
    std::uint64_t lineStart() const { return m_lineStart; }
    /// nextOffset is the offset of the next byte feed expects.
    std::uint64_t nextOffset() const { return m_nextOffset; }
    /// pendingBytes is the size of the held partial line.
    std::size_t pendingBytes() const { return m_partial.size(); }

private:
    TailLine takeLine(bool truncated);

    std::size_t m_maxLineBytes;
    std::string m_partial;
    std::uint64_t m_lineStart = 0;
    std::uint64_t m_nextOffset = 0;
    /// m_skipping is set while the rest of an over-long line is being discarded.
    bool m_skipping = false;
    /// m_pendingCr: the last byte fed was a '\r' (kept in m_partial); the next one says whether it
    /// ended the line alone or began a CRLF.
    bool m_pendingCr = false;
};

} // namespace pulse
