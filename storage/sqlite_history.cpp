// The SQLite HistoryReader: pooled read connections over committed snapshots.
#include "storage/sqlite_history.h"

#include "storage/read_connection.h"
#include "storage/series_head.h"

#include <algorithm>
#include <exception>
#include <iterator>
#include <system_error>
#include <thread>

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

template <class T, class Read, class Finish>
Result<std::vector<T>> SqliteHistory::forEachSeries(std::span<const LabelMatcher> matchers, Read read,
                                                    Finish finish) const
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
        if (auto r = finish(out); !r)
            return std::unexpected(r.error());
        return out;
    }();
    c.end();
    release(std::move(*conn));
    return result;
}

namespace {

// PendingSeries is a series whose chunks are read but not yet decoded (SqliteHistory::read).
struct PendingSeries {
    std::string metric;
    Labels labels;
    PendingSamples pending;
};

// decodeAll decodes `pending[i]` into `out[i]` for i in [from, to). Runs on any thread: it touches
// nothing else.
Result<void> decodeAll(const std::vector<PendingSeries> &pending, std::vector<RawSamples> &out, std::size_t from,
                       std::size_t to, std::int64_t startMs, std::int64_t endMs, const StepWindows *windows)
{
    for (std::size_t i = from; i < to; ++i) {
        if (auto r = SeriesScan::decodeSamples(pending[i].pending, startMs, endMs, out[i], windows); !r)
            return r;
    }
    return {};
}

} // namespace

Result<std::vector<SeriesData>> SqliteHistory::read(std::span<const LabelMatcher> matchers, std::int64_t startMs,
                                                    std::int64_t endMs, const StepWindows *windows) const
{
    // Two steps: the connection finds and copies every series' chunks, then they are decoded — most of
    // a long range's reading (a day of 100 series at 15 s: 60 % of `pulsectl query`). With enough of
    // them, a second thread decodes half: the machines this runs on have two cores or more.
    constexpr std::size_t kParallelBytes = 256 * 1024; // ~0.2M samples: below, a thread costs more than it saves
    auto read = [&](SeriesScan &scan, std::int64_t id, PendingSeries &p) -> Result<bool> {
        if (auto r = scan.collectSamples(id, startMs, endMs, p.pending, windows); !r)
            return std::unexpected(r.error());
        return !p.pending.ends.empty() || p.pending.log != nullptr;
    };
    std::vector<RawSamples> decoded;
    auto decode = [&](std::vector<PendingSeries> &pending) -> Result<void> {
        decoded.resize(pending.size());
        std::size_t total = 0;
        for (const PendingSeries &p : pending)
            total += p.pending.bytes.size();
        std::size_t split = pending.size();
        if (total >= kParallelBytes && pending.size() >= 2) {
            std::size_t half = 0;
            split = 0;
            while (split < pending.size() && half < total / 2)
                half += pending[split++].pending.bytes.size();
        }
        Result<void> second;
        std::thread helper;
        if (split < pending.size()) {
            try {
                helper = std::thread([&] {
                    try {
                        second = decodeAll(pending, decoded, split, pending.size(), startMs, endMs, windows);
                    } catch (const std::exception &e) {
                        second = fail(std::string("decoding on a second thread failed: ") + e.what());
                    }
                });
            } catch (const std::system_error &) {
                split = pending.size(); // no thread to be had: decode it all here
            }
        }
        Result<void> first = decodeAll(pending, decoded, 0, split, startMs, endMs, windows);
        if (helper.joinable())
            helper.join();
        return !first ? first : second;
    };
    auto pending = forEachSeries<PendingSeries>(matchers, read, decode);
    if (!pending)
        return std::unexpected(pending.error());
    std::vector<SeriesData> out;
    out.reserve(pending->size());
    for (std::size_t i = 0; i < pending->size(); ++i) {
        if (decoded[i].timestampsMs.empty())
            continue;
        SeriesData &data = out.emplace_back();
        data.metric = std::move((*pending)[i].metric);
        data.labels = std::move((*pending)[i].labels);
        data.timestampsMs = std::move(decoded[i].timestampsMs);
        data.values = std::move(decoded[i].values);
    }
    return out;
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
