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
        // Empty, or rows we decoded were deleted: the samples in them are in head rows now.
        m_bySeries.clear();
        m_lastSeq = any ? first - 1 : m_lastSeq;
    }
    m_firstSeq = any ? first : m_lastSeq + 1;
    if (!any)
        return {};
    m_rows.reset();
    m_rows.bind(1, m_lastSeq);
    auto read = m_rows.forEachRow([&]() -> Result<void> {
        m_lastSeq = m_rows.columnInt(0);
        return decodeHeadLog(m_rows.columnText(1), [&](std::int64_t id, std::int64_t ts, double value) {
            RawSamples &s = m_bySeries[id];
            s.timestampsMs.push_back(ts);
            s.values.push_back(value);
        });
    });
    m_rows.reset();
    return read;
}

const RawSamples *HeadLogView::samplesOf(std::int64_t seriesId) const
{
    const auto it = m_bySeries.find(seriesId);
    return it == m_bySeries.end() ? nullptr : &it->second;
}

} // namespace pulse::storage
