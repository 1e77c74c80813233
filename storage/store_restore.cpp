// Restoring the writer's state at open: the series catalogue, head rows, and the head log replayed on
// top of them (store_writer.h, invariant 3). Runs once, before the writer takes any batch.
#include "storage/store_writer.h"

#include "core/base/series_key.h"

#include <algorithm>

namespace pulse::storage {

Result<void> StoreWriter::restore()
{
    auto series = m_db.prepare("SELECT id, metric, labels FROM series ORDER BY id");
    auto lastEnd = m_db.prepare("SELECT end_ms FROM chunk WHERE series_id = ?1 ORDER BY start_ms DESC LIMIT 1");
    auto heads = m_db.prepare("SELECT series_id, data FROM head_chunk");
    auto rollups = m_db.prepare("SELECT resolution_ms, series_id, data FROM rollup_head");
    auto nextId = m_db.prepare("SELECT next_series_id FROM catalogue");
    for (const auto *stmt : {&series, &lastEnd, &heads, &rollups, &nextId}) {
        if (!*stmt)
            return fail("cannot read the series catalogue: " + stmt->error().message);
    }
    // Pruned series' ids are never given again (a reader may still know the old labels by the id).
    if (auto row = nextId->step(); row && *row)
        m_nextId = std::max(m_nextId, nextId->columnInt(0));
    std::unordered_map<std::int64_t, std::size_t> byId;
    auto loaded = series->forEachRow([&]() -> Result<void> {
        const std::int64_t id = series->columnInt(0);
        m_nextId = std::max(m_nextId, id + 1); // never reused, even when set aside
        auto labels = decodeLabels(series->columnText(2));
        if (!labels) {
            // One damaged row must not keep the whole history closed: the series is set aside
            // (readers skip it too) and reported; its sealed chunks stay in the file for a repair
            // tool, what only its head held is given up.
            if (m_counters.quarantinedSeries++ == 0)
                m_counters.firstQuarantinedId = id;
            return {};
        }
        std::string key;
        appendSeriesKey(key, series->columnText(1), *labels);
        byId.emplace(id, m_heads.size());
        m_index.insert(key, static_cast<std::uint32_t>(m_heads.size()));
        m_heads.emplace_back(id);
        return {};
    });
    if (!loaded)
        return loaded;
    loaded = heads->forEachRow([&]() -> Result<void> {
        const auto it = byId.find(heads->columnInt(0));
        return it == byId.end() ? Result<void>{} : m_heads[it->second].restoreChunk(heads->columnText(1));
    });
    if (!loaded)
        return loaded;
    loaded = rollups->forEachRow([&]() -> Result<void> {
        const auto it = byId.find(rollups->columnInt(1));
        return it == byId.end() ? Result<void>{}
                                : m_heads[it->second].restoreRollup(rollups->columnInt(0), rollups->columnText(2));
    });
    if (!loaded)
        return loaded;
    // A head chunk is newer than every sealed chunk of its series; only series without one (sealed
    // just before the stop, or idle) need an index lookup for where their data ends. Looking up every
    // series cost a random read per series in a large file.
    for (SeriesHead &head : m_heads) {
        if (head.hasLastTimestamp())
            continue;
        lastEnd->reset();
        lastEnd->bind(1, head.seriesId());
        if (auto r = lastEnd->step(); r && *r)
            head.setLastTimestamp(lastEnd->columnInt(0));
    }
    m_counters.seriesCount = m_heads.size();
    return replayLog(byId);
}

Result<void> StoreWriter::replayLog(const std::unordered_map<std::int64_t, std::size_t> &byId)
{
    auto rows = m_db.prepare("SELECT seq, data FROM head_log ORDER BY seq");
    if (!rows)
        return fail("cannot read the head log: " + rows.error().message);
    std::int64_t last = 0;
    auto replayed = rows->forEachRow([&]() -> Result<void> {
        last = rows->columnInt(0);
        return decodeHeadLog(rows->columnText(1), [&](std::int64_t id, std::int64_t ts, double value) {
            // Samples already in a head row or a chunk are not newer than the head: skipped.
            if (const auto it = byId.find(id); it != byId.end())
                appendToHead(it->second, ts, value);
        });
    });
    if (!replayed)
        return replayed;
    // Sequence numbers never repeat, even after the log was emptied (AUTOINCREMENT keeps the highest in
    // sqlite_sequence), so a reader that saw seq N never mistakes a later row for an old one.
    auto highest = m_db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'head_log'");
    if (!highest)
        return fail("cannot read the head log's sequence: " + highest.error().message);
    if (auto row = highest->step(); row && *row)
        last = std::max(last, highest->columnInt(0));
    // The replayed samples stay in their log rows until the first full checkpoint cycle has written
    // every head they touched.
    m_nextLogSeq = last + 1;
    m_cycleStartSeq = m_nextLogSeq;
    return {};
}

} // namespace pulse::storage
