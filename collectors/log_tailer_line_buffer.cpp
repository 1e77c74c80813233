// LogTailerLineBuffer: newline splitting with a bounded partial line.
#include "collectors/log_tailer_line_buffer.h"

#include <algorithm>
#include <cstring>

namespace pulse {

LogTailerLineBuffer::LogTailerLineBuffer(std::size_t maxLineBytes)
    : m_maxLineBytes(std::max<std::size_t>(maxLineBytes, 1))
{
}

void LogTailerLineBuffer::reset(std::uint64_t offset)
{
    m_partial.clear();
    m_lineStart = offset;
    m_nextOffset = offset;
    m_skipping = false;
    m_pendingCr = false;
}

TailLine LogTailerLineBuffer::takeLine(bool truncated)
{
    TailLine line;
    line.bytes = std::move(m_partial);
    m_partial.clear();
    if (!truncated && line.bytes.ends_with('\r'))
        line.bytes.pop_back();
    line.offset = m_lineStart;
    line.truncated = truncated;
    return line;
}

std::size_t LogTailerLineBuffer::feed(std::string_view data, std::vector<TailLine> &out, std::size_t maxLines)
{
    std::size_t pos = 0;
    if (m_pendingCr && !data.empty()) {
        // The last chunk ended in '\r': with '\n' next it was CRLF (handled below); else the CR
        // ended its line.
        if (data.front() != '\n') {
            if (out.size() >= maxLines)
                return 0;
            if (!m_skipping)
                out.push_back(takeLine(false));
            m_skipping = false;
            m_partial.clear();
            m_lineStart = m_nextOffset;
        }
        m_pendingCr = false;
    }
    while (pos < data.size() && out.size() < maxLines) {
        const std::size_t newline = data.find('\n', pos);
        std::size_t end = newline == std::string_view::npos ? data.size() : newline;
        std::size_t terminator = newline == std::string_view::npos ? 0 : 1;
        bool crAtChunkEnd = false;
        if (const void *cr = std::memchr(data.data() + pos, '\r', end - pos)) {
            const auto at = std::size_t(static_cast<const char *>(cr) - data.data());
            if (at + 1 < end) {
                end = at; // a lone CR (old Mac endings, progress output) ends a line
                terminator = 1;
            } else if (newline == std::string_view::npos) {
                crAtChunkEnd = true; // the next byte says whether it is CRLF
            } // else CRLF: takeLine drops the CR
        }
        if (!m_skipping) {
            // A line of exactly maxLineBytes is complete when its newline comes next; it is cut only
            // once a byte beyond the maximum arrives.
            const std::size_t length = end - pos;
            if (m_partial.size() + length > m_maxLineBytes) {
                m_partial.append(data.substr(pos, m_maxLineBytes - m_partial.size()));
                out.push_back(takeLine(true));
                m_skipping = true;
            } else {
                m_partial.append(data.substr(pos, length));
            }
        }
        if (terminator == 0) {
            m_nextOffset += data.size() - pos;
            m_pendingCr = crAtChunkEnd;
            pos = data.size();
            break;
        }
        const std::uint64_t afterLine = m_nextOffset + (end + terminator - pos);
        if (!m_skipping)
            out.push_back(takeLine(false));
        m_skipping = false;
        m_nextOffset = afterLine;
        m_lineStart = afterLine;
        pos = end + terminator;
    }
    return pos;
}

std::optional<TailLine> LogTailerLineBuffer::flush()
{
    m_pendingCr = false;
    if (m_skipping || m_partial.empty()) {
        m_skipping = false;
        m_partial.clear();
        m_lineStart = m_nextOffset;
        return std::nullopt;
    }
    TailLine line = takeLine(false);
    m_lineStart = m_nextOffset;
    return line;
}

} // namespace pulse
