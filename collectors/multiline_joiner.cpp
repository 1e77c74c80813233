// MultilineJoiner: which lines continue a record, and holding the record until it is complete.
#include "collectors/multiline_joiner.h"

namespace pulse {

Result<MultilineJoiner> MultilineJoiner::create(const MultilineOptions &options, LinePatternCompiler compile)
{
    MultilineJoiner joiner;
    joiner.m_options = options;
    if (!options.startPattern.empty()) {
        auto compiled = compile(options.startPattern);
        if (!compiled)
            return fail("start pattern: " + compiled.error().message);
        joiner.m_start = std::move(*compiled);
    }
    return joiner;
}

bool MultilineJoiner::isContinuation(std::string_view line)
{
    if (line.empty())
        return false;
    return line.front() == ' ' || line.front() == '\t' || line.starts_with("at ") || line.starts_with("Caused by:") ||
           line.starts_with("...");
}

bool MultilineJoiner::startsRecord(std::string_view line) const
{
    if (!m_options.enabled)
        return true;
    if (!m_start)
        return !isContinuation(line);
    return m_start->search(line);
}

void MultilineJoiner::push(TailLine line, std::int64_t nowMs, std::vector<TailLine> &out)
{
    if (!m_options.enabled) {
        out.push_back(std::move(line));
        return;
    }
    const bool fits = m_held && m_heldLines < m_options.maxRecordLines &&
                      m_held->bytes.size() + 1 + line.bytes.size() <= m_options.maxRecordBytes;
    if (fits && !startsRecord(line.bytes)) {
        m_held->bytes += '\n';
        m_held->bytes += line.bytes;
        m_held->truncated = m_held->truncated || line.truncated;
        ++m_heldLines;
        m_lastJoinMs = nowMs;
        return;
    }
    if (m_held)
        out.push_back(std::move(*m_held));
    m_held = std::move(line);
    m_heldLines = 1;
    m_lastJoinMs = nowMs;
}

std::optional<TailLine> MultilineJoiner::flush()
{
    std::optional<TailLine> held = std::move(m_held);
    m_held.reset();
    m_heldLines = 0;
    return held;
}

std::optional<TailLine> MultilineJoiner::flushIfQuiet(std::int64_t nowMs)
{
    if (!m_held || nowMs - m_lastJoinMs < m_options.waitMs)
        return std::nullopt;
    return flush();
}

std::optional<std::uint64_t> MultilineJoiner::heldOffset() const
{
    if (!m_held)
        return std::nullopt;
    return m_held->offset;
}

} // namespace pulse
