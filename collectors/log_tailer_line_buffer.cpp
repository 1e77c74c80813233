// LogTailerLineBuffer: newline splitting with a bounded partial line.
#include "collectors/log_tailer_line_buffer.h"

#include <algorithm>

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
    while (pos < data.size() && out.size() < maxLines) {
        const std::size_t newline = data.find('\n', pos);
        const std::size_t end = newline == std::string_view::npos ? data.size() : newline;
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
        if (newline == std::string_view::npos) {
            m_nextOffset += data.size() - pos;
            pos = data.size();
            break;
        }
        const std::uint64_t afterNewline = m_nextOffset + (newline + 1 - pos);
        if (!m_skipping)
            out.push_back(takeLine(false));
        m_skipping = false;
        m_nextOffset = afterNewline;
        m_lineStart = afterNewline;
        pos = newline + 1;
    }
    return pos;
}

std::optional<TailLine> LogTailerLineBuffer::flush()
{
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
