// Finding and decoding one series' chunks (see series_scan.h).
#include "storage/series_scan.h"

#include "storage/chunk_decoder.h"
#include "storage/head_log_view.h"
#include "storage/rollup_codec.h"
#include "storage/rollup_track.h"
#include "storage/series_head.h"

#include <algorithm>
#include <optional>

namespace pulse::storage {

namespace {

// forEachBlob decodes column 0 of every row. With `windows` the rows are (data, start_ms, end_ms) and
// only chunks that meet a window are decoded (SQLite still reads the others' rows; a corrupt chunk no
// window meets is not reported).
template <class Decode>
Result<void> forEachBlob(Statement &s, Decode decode, const StepWindows *windows = nullptr)
{
    auto r = s.forEachRow([&]() -> Result<void> {
        if (windows != nullptr && !windows->overlaps(s.columnInt(1), s.columnInt(2)))
            return {};
        return decode(s.columnText(0));
    });
    s.reset();
    return r;
}

// reserveForRange sizes `out` once for the whole range from the sample rate of the first chunk read
// (from `first` on): a month of one series grown geometrically chunk by chunk copied it and touched
// twice its pages, a third of a 30-day query. Capacity never touched costs address space, not memory;
// readSamples gives back what a denser first chunk made it overestimate. Returns whether it grew `out`.
// Open-ended reads (rollup rebuilds read to the end of time) and estimates past the cap are left to
// ordinary growth: a reservation is address space a strict overcommit policy may refuse.
bool reserveForRange(RawSamples &out, std::size_t first, std::int64_t endMs)
{
    constexpr double kMaxReserve = 1 << 22;                 // 64 MiB for both vectors
    constexpr std::int64_t kMaxSpanMs = 400LL * 86'400'000; // longer: an open end, not a query's range
    const auto &ts = out.timestampsMs;
    const double span = static_cast<double>(ts.back() - ts[first]);
    if (span <= 0 || endMs - ts[first] > kMaxSpanMs)
        return false;
    const double perMs = static_cast<double>(ts.size() - first - 1) / span;
    const double expected = perMs * static_cast<double>(endMs - ts[first]) * 1.02 + 2;
    const std::size_t wanted = first + static_cast<std::size_t>(std::min(kMaxReserve, expected));
    if (out.timestampsMs.capacity() >= wanted)
        return false;
    out.timestampsMs.reserve(wanted);
    out.values.reserve(wanted);
    return true;
}

} // namespace

Result<SeriesScan> SeriesScan::prepare(SqliteDb &db)
{
    SeriesScan scan;
    struct Item {
        Statement *stmt;
        SqlText sql;
    };
    // Chunks never span more than kMaxChunkSpanMs (rollups: less than kRollupChunkBuckets buckets),
    // which bounds how far before `start` the index scan has to begin.
    const Item items[] = {
        {&scan.m_chunks, "SELECT data, start_ms, end_ms FROM chunk WHERE series_id = ?1 AND start_ms BETWEEN ?2 "
                         "AND ?3 AND end_ms >= ?4 ORDER BY start_ms"},
        {&scan.m_head, "SELECT data, start_ms, end_ms FROM head_chunk WHERE series_id = ?1 AND start_ms <= ?2 AND "
                       "end_ms >= ?3"},
        {&scan.m_rollups, "SELECT data FROM rollup_chunk WHERE resolution_ms = ?1 AND series_id = ?2 AND start_ms "
                          "BETWEEN ?3 AND ?4 AND end_ms >= ?5 ORDER BY start_ms"},
        {&scan.m_rollupHead, "SELECT data FROM rollup_head WHERE resolution_ms = ?1 AND series_id = ?2 AND "
                             "start_ms <= ?3 AND end_ms >= ?4"},
        {&scan.m_lastChunkEnd, "SELECT end_ms FROM chunk WHERE series_id = ?1 ORDER BY start_ms DESC LIMIT 1"},
        {&scan.m_headEnd, "SELECT end_ms FROM head_chunk WHERE series_id = ?1"},
    };
    for (const Item &item : items) {
        auto stmt = db.prepare(item.sql);
        if (!stmt)
            return std::unexpected(stmt.error());
        *item.stmt = std::move(*stmt);
    }
    return scan;
}

Result<void> SeriesScan::readSamples(std::int64_t seriesId, std::int64_t startMs, std::int64_t endMs, RawSamples &out,
                                     const StepWindows *windows)
{
    if (auto r = collectSamples(seriesId, startMs, endMs, m_pending, windows); !r)
        return r;
    return decodeSamples(m_pending, startMs, endMs, out, windows);
}

Result<void> SeriesScan::collectSamples(std::int64_t seriesId, std::int64_t startMs, std::int64_t endMs,
                                        PendingSamples &out, const StepWindows *windows)
{
    startMs = clampToStoredRange(startMs);
    endMs = clampToStoredRange(endMs);
    out.bytes.clear();
    out.ends.clear();
    out.log = nullptr;
    out.logFirst = 0;
    auto copy = [&](std::string_view blob) -> Result<void> {
        out.bytes.append(blob);
        out.ends.push_back(out.bytes.size());
        return {};
    };
    m_chunks.reset();
    m_chunks.bind(1, seriesId).bind(2, startMs - kMaxChunkSpanMs).bind(3, endMs).bind(4, startMs);
    if (auto r = forEachBlob(m_chunks, copy, windows); !r)
        return r;
    m_head.reset();
    m_head.bind(1, seriesId).bind(2, endMs).bind(3, startMs);
    if (auto r = forEachBlob(m_head, copy, windows); !r)
        return r;
    auto first = loggedAfterRows(seriesId, out.log);
    if (!first)
        return std::unexpected(first.error());
    out.logFirst = *first;
    return {};
}

Result<void> SeriesScan::decodeSamples(const PendingSamples &in, std::int64_t startMs, std::int64_t endMs,
                                       RawSamples &out, const StepWindows *windows)
{
    startMs = clampToStoredRange(startMs);
    endMs = clampToStoredRange(endMs);
    std::optional<StepWindowFilter> filter;
    if (windows != nullptr)
        filter.emplace(*windows);
    bool sized = false;    // the estimate was made (once per call)
    bool reserved = false; // and it grew `out`: only then may capacity be given back below
    std::size_t chunkStart = 0;
    for (const std::size_t chunkEnd : in.ends) {
        const std::string_view blob = std::string_view(in.bytes).substr(chunkStart, chunkEnd - chunkStart);
        chunkStart = chunkEnd;
        const std::size_t before = out.timestampsMs.size();
        if (auto r = ChunkDecoder::decodeRange(blob, startMs, endMs, out.timestampsMs, out.values); !r)
            return r;
        if (!sized && out.timestampsMs.size() - before >= 2) {
            sized = true;
            reserved = reserveForRange(out, before, endMs);
        }
        if (filter)
            filter->keepInWindows(out.timestampsMs, out.values, before);
    }
    const RawSamples *log = in.log;
    for (std::size_t i = in.logFirst; log != nullptr && i < log->timestampsMs.size(); ++i) {
        const std::int64_t ts = log->timestampsMs[i];
        if (ts > endMs)
            break;
        if (ts >= startMs && (!filter || filter->keep(ts))) {
            out.timestampsMs.push_back(ts);
            out.values.push_back(log->values[i]);
        }
    }
    if (reserved && out.timestampsMs.capacity() > out.timestampsMs.size() + out.timestampsMs.size() / 4 + 256) {
        out.timestampsMs.shrink_to_fit();
        out.values.shrink_to_fit();
    }
    return {};
}

Result<std::size_t> SeriesScan::loggedAfterRows(std::int64_t seriesId, const RawSamples *&log)
{
    log = m_log != nullptr ? m_log->samplesOf(seriesId) : nullptr;
    if (log == nullptr)
        return std::size_t{0};
    // The rows end where the newest chunk or the head row ends; logged samples up to there are in them.
    std::int64_t rowsEnd = INT64_MIN;
    for (Statement *s : {&m_lastChunkEnd, &m_headEnd}) {
        s->reset();
        s->bind(1, seriesId);
        auto row = s->step();
        if (!row)
            return std::unexpected(row.error());
        if (*row)
            rowsEnd = std::max(rowsEnd, s->columnInt(0));
        s->reset();
    }
    const auto &ts = log->timestampsMs;
    return static_cast<std::size_t>(std::upper_bound(ts.begin(), ts.end(), rowsEnd) - ts.begin());
}

Result<void> SeriesScan::readBuckets(std::int64_t resolutionMs, std::int64_t seriesId, std::int64_t startMs,
                                     std::int64_t endMs, std::vector<RollupBucket> &out)
{
    startMs = clampToStoredRange(startMs);
    endMs = clampToStoredRange(endMs);
    const std::size_t first = out.size();
    auto decode = [&](std::string_view blob) { return decodeRollups(blob, startMs, endMs, out); };
    m_rollups.reset();
    m_rollups.bind(1, resolutionMs).bind(2, seriesId).bind(3, startMs - kRollupChunkBuckets * resolutionMs);
    m_rollups.bind(4, endMs).bind(5, startMs);
    if (auto r = forEachBlob(m_rollups, decode); !r)
        return r;
    m_rollupHead.reset();
    m_rollupHead.bind(1, resolutionMs).bind(2, seriesId).bind(3, endMs).bind(4, startMs);
    if (auto r = forEachBlob(m_rollupHead, decode); !r)
        return r;
    // Rows come in start order and the head row after them, except when Downsampler wrote buckets
    // older than a head row that holds a long-stopped series' last bucket.
    auto byStart = [](const RollupBucket &a, const RollupBucket &b) { return a.startMs < b.startMs; };
    if (!std::is_sorted(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(), byStart))
        std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(), byStart);
    return {};
}

Result<void> SeriesScan::readTier(std::int64_t resolutionMs, std::int64_t seriesId, std::int64_t firstStartMs,
                                  std::int64_t lastStartMs, std::vector<RollupBucket> &buckets, RawSamples &raw,
                                  const StepWindows *windows)
{
    const auto first = static_cast<std::ptrdiff_t>(buckets.size());
    if (auto r = readTierRuns(resolutionMs, seriesId, firstStartMs, lastStartMs, buckets, raw, windows); !r)
        return r;
    if (windows == nullptr)
        return {};
    // Only now: the runs above need every stored bucket to know which buckets are not stored.
    StepWindowFilter filter(*windows);
    const auto outside = [&](const RollupBucket &b) { return !filter.keep(b.lastTimestampMs); };
    buckets.erase(std::remove_if(buckets.begin() + first, buckets.end(), outside), buckets.end());
    return {};
}

Result<void> SeriesScan::readTierRuns(std::int64_t resolutionMs, std::int64_t seriesId, std::int64_t firstStartMs,
                                      std::int64_t lastStartMs, std::vector<RollupBucket> &buckets, RawSamples &raw,
                                      const StepWindows *windows)
{
    firstStartMs = floorToResolution(clampToStoredRange(firstStartMs), resolutionMs);
    lastStartMs = floorToResolution(clampToStoredRange(lastStartMs), resolutionMs);
    const std::size_t first = buckets.size();
    if (auto r = readBuckets(resolutionMs, seriesId, firstStartMs, lastStartMs, buckets); !r)
        return r;
    // A stored bucket that logged samples fall in (or after) was written before them: incomplete.
    // Those buckets are read from raw samples below, which include the log.
    const RawSamples *log = nullptr;
    auto logged = loggedAfterRows(seriesId, log);
    if (!logged)
        return std::unexpected(logged.error());
    if (log != nullptr && *logged < log->timestampsMs.size()) {
        const std::int64_t firstLogged = log->timestampsMs[*logged];
        const auto stale = std::find_if(buckets.begin() + static_cast<std::ptrdiff_t>(first), buckets.end(),
                                        [&](const RollupBucket &b) { return b.startMs + resolutionMs >= firstLogged; });
        buckets.erase(stale, buckets.end());
    }
    // Every run of starts without a stored bucket is one raw read of (run start, run end + resolution].
    std::int64_t next = firstStartMs;
    for (std::size_t i = first; i < buckets.size(); ++i) {
        const std::int64_t start = buckets[i].startMs;
        if (start > next) {
            if (auto r = readSamples(seriesId, next + 1, start, raw, windows); !r)
                return r;
        }
        next = std::max(next, start + resolutionMs);
    }
    if (next <= lastStartMs)
        return readSamples(seriesId, next + 1, lastStartMs + resolutionMs, raw, windows);
    return {};
}

} // namespace pulse::storage
