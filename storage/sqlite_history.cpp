// The SQLite HistoryReader: pooled read connections over committed snapshots.
#include "storage/sqlite_history.h"

#include "storage/read_connection.h"
#include "storage/series_head.h"

#include <algorithm>
#include <iterator>

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

template <class T, class Read>
Result<std::vector<T>> SqliteHistory::forEachSeries(std::span<const LabelMatcher> matchers, Read read) const
{
    auto conn = acquire();
    if (!conn)
        return std::unexpected(conn.error());
    ReadConnection &c = **conn;
    auto result = [&]() -> Result<std::vector<T>> {
        if (auto r = c.begin(); !r)
            return std::unexpected(r.error());
        auto entries = c.matchSeries(matchers);
        if (!entries)
            return std::unexpected(entries.error());
        std::vector<std::int64_t> ids;
        ids.reserve(entries->size());
        for (const CatalogEntry *e : *entries)
            ids.push_back(e->id);
        if (auto r = c.trackLog(ids); !r)
            return std::unexpected(r.error());
        std::vector<T> out;
        for (const CatalogEntry *e : *entries) {
            T series;
            auto found = read(c.scan(), e->id, series);
            if (!found)
                return std::unexpected(found.error());
            if (!*found)
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

Result<std::vector<SeriesData>> SqliteHistory::read(std::span<const LabelMatcher> matchers, std::int64_t startMs,
                                                    std::int64_t endMs, const StepWindows *windows) const
{
    auto read = [&](SeriesScan &scan, std::int64_t id, SeriesData &data) -> Result<bool> {
        RawSamples raw;
        if (auto r = scan.readSamples(id, startMs, endMs, raw, windows); !r)
            return std::unexpected(r.error());
        data.timestampsMs = std::move(raw.timestampsMs);
        data.values = std::move(raw.values);
        return !data.timestampsMs.empty();
    };
    return forEachSeries<SeriesData>(matchers, read);
}

Result<std::vector<TierSeries>> SqliteHistory::selectTier(std::span<const LabelMatcher> matchers,
                                                          std::int64_t firstStartMs, std::int64_t lastStartMs,
                                                          std::int64_t resolutionMs, const StepWindows *windows) const
{
    return forEachSeries<TierSeries>(matchers, [&](SeriesScan &scan, std::int64_t id, TierSeries &t) -> Result<bool> {
        if (auto r = scan.readTier(resolutionMs, id, firstStartMs, lastStartMs, t.buckets, t.raw, windows); !r)
            return std::unexpected(r.error());
        return !t.buckets.empty() || !t.raw.timestampsMs.empty();
    });
}

Result<std::vector<RollupSeries>> SqliteHistory::selectRollups(std::span<const LabelMatcher> matchers,
                                                               std::int64_t startMs, std::int64_t endMs,
                                                               std::int64_t resolutionMs) const
{
    // Bucket starts are multiples of the resolution: the first at or after startMs.
    const std::int64_t first = floorToResolution(clampToStoredRange(startMs) - 1, resolutionMs) + resolutionMs;
    auto tiers = selectTier(matchers, first, endMs, resolutionMs);
    if (!tiers)
        return std::unexpected(tiers.error());
    std::vector<RollupSeries> out;
    out.reserve(tiers->size());
    for (TierSeries &t : *tiers) {
        std::vector<RollupBucket> computed;
        appendBuckets(t.raw.timestampsMs, t.raw.values, resolutionMs, computed);
        RollupSeries series{std::move(t.metric), std::move(t.labels), {}};
        std::merge(t.buckets.begin(), t.buckets.end(), computed.begin(), computed.end(),
                   std::back_inserter(series.buckets),
                   [](const RollupBucket &a, const RollupBucket &b) { return a.startMs < b.startMs; });
        if (!series.buckets.empty())
            out.push_back(std::move(series));
    }
    return out;
}

const HistoryReader &SqliteHistory::readerForStep(std::int64_t stepMs, std::int64_t smallestWindowMs) const
{
    // A tier's buckets appear as one sample each: a window must hold several of them (four) for
    // rate() and friends to see what the raw samples show.
    constexpr std::int64_t kBucketsPerWindow = 4;
    const auto fits = [&](std::int64_t resolutionMs) { return smallestWindowMs / kBucketsPerWindow >= resolutionMs; };
    if (stepMs >= kRollup1hMs && fits(kRollup1hMs))
        return m_hours;
    if (stepMs >= kRollup1mMs && fits(kRollup1mMs))
        return m_minutes;
    return *this;
}

} // namespace pulse::storage
