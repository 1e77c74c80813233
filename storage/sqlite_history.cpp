// The SQLite HistoryReader: pooled read connections over committed snapshots.
#include "storage/sqlite_history.h"

#include "storage/read_connection.h"
#include "storage/series_head.h"

namespace pulse::storage {

SqliteHistory::SqliteHistory(std::string path)
    : m_path(std::move(path)), m_minutes(*this, kRollup1mMs), m_hours(*this, kRollup1hMs)
{
}

SqliteHistory::~SqliteHistory() = default;

Result<std::unique_ptr<SqliteHistory>> SqliteHistory::open(const std::string &path)
{
    std::unique_ptr<SqliteHistory> history(new SqliteHistory(path));
    auto conn = ReadConnection::open(path);
    if (!conn)
        return std::unexpected(conn.error());
    history->m_idle.push_back(std::move(*conn));
    return history;
}

Result<std::unique_ptr<ReadConnection>> SqliteHistory::acquire() const
{
    {
        std::lock_guard lock(m_poolMutex);
        if (!m_idle.empty()) {
            auto conn = std::move(m_idle.back());
            m_idle.pop_back();
            return conn;
        }
    }
    return ReadConnection::open(m_path);
}

void SqliteHistory::release(std::unique_ptr<ReadConnection> conn) const
{
    std::lock_guard lock(m_poolMutex);
    m_idle.push_back(std::move(conn));
}

Result<std::vector<SeriesData>> SqliteHistory::select(std::span<const LabelMatcher> matchers, std::int64_t startMs,
                                                      std::int64_t endMs) const
{
    auto conn = acquire();
    if (!conn)
        return std::unexpected(conn.error());
    ReadConnection &c = **conn;
    auto result = [&]() -> Result<std::vector<SeriesData>> {
        if (auto r = c.begin(); !r)
            return std::unexpected(r.error());
        auto entries = c.matchSeries(matchers);
        if (!entries)
            return std::unexpected(entries.error());
        std::vector<SeriesData> out;
        for (const CatalogEntry *e : *entries) {
            SeriesData data;
            if (auto r = c.readSamples(e->id, startMs, endMs, data.timestampsMs, data.values); !r)
                return std::unexpected(r.error());
            if (data.timestampsMs.empty())
                continue;
            data.metric = e->metric;
            data.labels = e->labels;
            out.push_back(std::move(data));
        }
        return out;
    }();
    c.end();
    release(std::move(*conn));
    return result;
}

Result<std::vector<RollupSeries>> SqliteHistory::selectRollups(std::span<const LabelMatcher> matchers,
                                                               std::int64_t startMs, std::int64_t endMs,
                                                               std::int64_t resolutionMs) const
{
    auto conn = acquire();
    if (!conn)
        return std::unexpected(conn.error());
    ReadConnection &c = **conn;
    auto result = [&]() -> Result<std::vector<RollupSeries>> {
        if (auto r = c.begin(); !r)
            return std::unexpected(r.error());
        auto entries = c.matchSeries(matchers);
        if (!entries)
            return std::unexpected(entries.error());
        std::vector<RollupSeries> out;
        for (const CatalogEntry *e : *entries) {
            RollupSeries series;
            if (auto r = c.readRollups(resolutionMs, e->id, startMs, endMs, series.buckets); !r)
                return std::unexpected(r.error());
            if (series.buckets.empty())
                continue;
            series.metric = e->metric;
            series.labels = e->labels;
            out.push_back(std::move(series));
        }
        return out;
    }();
    c.end();
    release(std::move(*conn));
    return result;
}

const HistoryReader &SqliteHistory::readerForStep(std::int64_t stepMs) const
{
    if (stepMs >= kRollup1hMs)
        return m_hours;
    if (stepMs >= kRollup1mMs)
        return m_minutes;
    return *this;
}

} // namespace pulse::storage
