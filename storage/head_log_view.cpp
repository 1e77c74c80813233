// The head log as readers see it (head_log_view.h).
#include "storage/head_log_view.h"

#include "storage/head_log.h"

namespace pulse::storage {

Result<HeadLogView> HeadLogView::prepare(SqliteDb &db)
{
    HeadLogView view;
    auto bounds = db.prepare("SELECT min(seq), max(seq) FROM head_log");
    if (!bounds)
        return std::unexpected(bounds.error());
    auto rows = db.prepare("SELECT data FROM head_log WHERE seq >= ?1 AND seq <= ?2 ORDER BY seq");
    if (!rows)
        return std::unexpected(rows.error());
    view.m_bounds = std::move(*bounds);
    view.m_rows = std::move(*rows);
    return view;
}

Result<void> HeadLogView::decodeRows(std::int64_t first, std::int64_t last, const IdBits *only)
{
    const IdBits &filter = only != nullptr ? *only : m_tracked;
    if (first > last || m_bySeries.empty())
        return {};
    m_rows.reset();
    m_rows.bind(1, first).bind(2, last);
    auto read = m_rows.forEachRow([&]() -> Result<void> {
        return decodeHeadLog(m_rows.columnText(0), [&](std::int64_t id, std::int64_t ts, double value) {
            if (!filter.contains(id))
                return;
            const auto it = m_bySeries.find(id);
            if (it == m_bySeries.end())
                return;
            it->second.timestampsMs.push_back(ts);
            it->second.values.push_back(value);
        });
    });
    m_rows.reset();
    return read;
}

Result<void> HeadLogView::refresh()
{
    m_bounds.reset();
    auto row = m_bounds.step();
    if (!row)
        return std::unexpected(row.error());
    const bool any = *row && !m_bounds.columnIsNull(0);
    const std::int64_t first = any ? m_bounds.columnInt(0) : m_lastSeq + 1;
    const std::int64_t last = any ? m_bounds.columnInt(1) : m_lastSeq;
    m_bounds.reset();
    if (first > m_firstSeq) {
        // Rows we decoded were deleted: their samples are in head rows now. Start over; queries
        // track what they need again.
        m_bySeries.clear();
        m_tracked.clear();
        m_firstSeq = first;
        m_lastSeq = last;
        return {};
    }
    const std::int64_t previousLast = m_lastSeq;
    m_firstSeq = first;
    m_lastSeq = std::max(m_lastSeq, last);
    auto read = decodeRows(previousLast + 1, m_lastSeq, nullptr);
    if (!read) {
        m_bySeries.clear(); // some rows are missing from them: queries track what they need again
        m_tracked.clear();
    }
    return read;
}

Result<void> HeadLogView::track(std::span<const std::int64_t> seriesIds)
{
    IdBits fresh;
    std::vector<std::int64_t> added;
    for (std::int64_t id : seriesIds) {
        if (!m_bySeries.contains(id)) {
            m_bySeries.emplace(id, RawSamples{});
            m_tracked.insert(id);
            fresh.insert(id);
            added.push_back(id);
        }
    }
    if (added.empty())
        return {};
    auto read = decodeRows(m_firstSeq, m_lastSeq, &fresh);
    if (!read) {
        for (std::int64_t id : added)
            m_bySeries.erase(id); // half decoded: the next query tries them again (their bits may stay)
    }
    return read;
}

const RawSamples *HeadLogView::samplesOf(std::int64_t seriesId) const
{
    const auto it = m_bySeries.find(seriesId);
    return it == m_bySeries.end() || it->second.timestampsMs.empty() ? nullptr : &it->second;
}

std::size_t HeadLogView::trackedSamples() const
{
    std::size_t n = 0;
    for (const auto &[id, samples] : m_bySeries)
        n += samples.timestampsMs.size();
    return n;
}

} // namespace pulse::storage
