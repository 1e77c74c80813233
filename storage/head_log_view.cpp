// The head log as readers see it (head_log_view.h).
#include "storage/head_log_view.h"

#include "storage/head_log.h"

namespace pulse::storage {

Result<HeadLogView> HeadLogView::prepare(SqliteDb &db)
{
    HeadLogView view;
    auto first = db.prepare("SELECT min(seq) FROM head_log");
    if (!first)
        return std::unexpected(first.error());
    auto rows = db.prepare("SELECT seq, data FROM head_log WHERE seq > ?1 ORDER BY seq");
    if (!rows)
        return std::unexpected(rows.error());
    view.m_first = std::move(*first);
    view.m_rows = std::move(*rows);
    return view;
}

Result<void> HeadLogView::decode(std::string_view row, const std::unordered_map<std::int64_t, bool> *only)
{
    return decodeHeadLog(row, [&](std::int64_t id, std::int64_t ts, double value) {
        if (only != nullptr && !only->contains(id))
            return;
        const auto it = m_bySeries.find(id);
        if (it == m_bySeries.end())
            return;
        it->second.timestampsMs.push_back(ts);
        it->second.values.push_back(value);
    });
}

Result<void> HeadLogView::refresh()
{
    m_first.reset();
    auto row = m_first.step();
    if (!row)
        return std::unexpected(row.error());
    const bool any = *row && !m_first.columnIsNull(0);
    const std::int64_t first = any ? m_first.columnInt(0) : 0;
    m_first.reset();
    if (!any || first > m_firstSeq) {
        // Empty, or rows we kept were deleted: the samples in them are in head rows now.
        m_kept.clear();
        m_bySeries.clear();
        m_bytes = 0;
        if (any)
            m_lastSeq = first - 1;
    }
    m_firstSeq = any ? first : m_lastSeq + 1;
    if (!any)
        return {};
    m_rows.reset();
    m_rows.bind(1, m_lastSeq);
    auto read = m_rows.forEachRow([&]() -> Result<void> {
        m_lastSeq = m_rows.columnInt(0);
        m_kept.emplace_back(m_lastSeq, std::string(m_rows.columnText(1)));
        m_bytes += m_kept.back().second.size();
        return m_bySeries.empty() ? Result<void>{} : decode(m_kept.back().second, nullptr);
    });
    m_rows.reset();
    return read;
}

Result<void> HeadLogView::track(std::span<const std::int64_t> seriesIds)
{
    std::unordered_map<std::int64_t, bool> fresh;
    for (std::int64_t id : seriesIds) {
        if (!m_bySeries.contains(id)) {
            m_bySeries.emplace(id, RawSamples{});
            fresh.emplace(id, true);
        }
    }
    if (fresh.empty())
        return {};
    for (const auto &[seq, bytes] : m_kept) {
        if (auto r = decode(bytes, &fresh); !r)
            return r;
    }
    return {};
}

const RawSamples *HeadLogView::samplesOf(std::int64_t seriesId) const
{
    const auto it = m_bySeries.find(seriesId);
    return it == m_bySeries.end() || it->second.timestampsMs.empty() ? nullptr : &it->second;
}

} // namespace pulse::storage
