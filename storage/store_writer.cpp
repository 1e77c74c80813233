// The writer's commit logic (invariants in store_writer.h). Not thread-safe: one thread drives it.
#include "storage/store_writer.h"

#include "core/base/series_key.h"
#include "storage/store_schema.h"
#include "storage/store_writer_statements.h"

#include <algorithm>
#include <chrono>
#include <optional>

namespace pulse::storage {

namespace {
constexpr std::int64_t kMaxAbsTimestampMs = 1'000'000'000'000'000; // ~31,700 years either side of 1970

// When a tail position was stored: for people reading the file, not for resuming.
std::int64_t wallClockMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}
} // namespace

StoreWriter::StoreWriter(StoreLock lock, SqliteDb db) : m_lock(std::move(lock)), m_db(std::move(db)) {}
StoreWriter::~StoreWriter() = default;

Result<std::unique_ptr<StoreWriter>> StoreWriter::open(const std::string &path)
{
    // Locked before anything is written: a migration by a second writer would race the first one too.
    auto lock = StoreLock::acquire(path);
    if (!lock)
        return std::unexpected(lock.error());
    auto db = StoreSchema::openForWrite(path);
    if (!db)
        return std::unexpected(db.error());
    std::unique_ptr<StoreWriter> writer(new StoreWriter(std::move(*lock), std::move(*db)));
    if (auto r = writer->prepare(); !r)
        return std::unexpected(r.error());
    if (auto r = writer->restore(); !r)
        return fail("cannot load '" + path + "': " + r.error().message);
    return writer;
}

Result<void> StoreWriter::prepare()
{
    m_stmts = std::make_unique<Statements>();
    struct Item {
        Statement *stmt;
        SqlText sql;
    };
    const Item items[] = {
        {&m_stmts->insertSeries, "INSERT INTO series(id, metric, labels) VALUES (?1, ?2, ?3)"},
        {&m_stmts->insertLabel, "INSERT OR IGNORE INTO series_label(name, value, series_id) VALUES (?1, ?2, ?3)"},
        {&m_stmts->insertChunk,
         "INSERT INTO chunk(series_id, start_ms, end_ms, count, data) VALUES (?1, ?2, ?3, ?4, ?5)"},
        {&m_stmts->insertRollup, "INSERT INTO rollup_chunk(resolution_ms, series_id, start_ms, end_ms, count, data) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
        {&m_stmts->upsertHead, "INSERT OR REPLACE INTO head_chunk(series_id, start_ms, end_ms, count, data) "
                               "VALUES (?1, ?2, ?3, ?4, ?5)"},
        {&m_stmts->deleteHead, "DELETE FROM head_chunk WHERE series_id = ?1"},
        {&m_stmts->upsertRollupHead,
         "INSERT OR REPLACE INTO rollup_head(resolution_ms, series_id, start_ms, end_ms, count, data) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
        {&m_stmts->deleteRollupHead, "DELETE FROM rollup_head WHERE resolution_ms = ?1 AND series_id = ?2"},
        {&m_stmts->deleteRawBefore,
         "DELETE FROM chunk WHERE id IN (SELECT id FROM chunk WHERE end_ms < ?1 ORDER BY end_ms LIMIT ?2)"},
        {&m_stmts->deleteRollupBefore,
         "DELETE FROM rollup_chunk WHERE id IN (SELECT id FROM rollup_chunk WHERE resolution_ms = ?1 AND "
         "end_ms < ?2 ORDER BY end_ms LIMIT ?3)"},
        {&m_stmts->expiredRaw,
         "SELECT id, series_id, start_ms, end_ms FROM chunk WHERE end_ms < ?1 ORDER BY end_ms LIMIT ?2"},
        {&m_stmts->deleteRaw, "DELETE FROM chunk WHERE id = ?1"},
        {&m_stmts->insertLog, "INSERT INTO head_log(seq, data) VALUES (?1, ?2)"},
        {&m_stmts->deleteLogBefore, "DELETE FROM head_log WHERE seq < ?1"},
        {&m_stmts->seriesRow, "SELECT metric, labels FROM series WHERE id = ?1"},
        {&m_stmts->hasChunk, "SELECT EXISTS(SELECT 1 FROM chunk WHERE series_id = ?1)"},
        {&m_stmts->hasRollup, "SELECT EXISTS(SELECT 1 FROM rollup_chunk WHERE resolution_ms = ?1 AND series_id = ?2)"},
        {&m_stmts->deleteLabel, "DELETE FROM series_label WHERE name = ?1 AND value = ?2 AND series_id = ?3"},
        {&m_stmts->deleteSeries, "DELETE FROM series WHERE id = ?1"},
        {&m_stmts->notePruned,
         "UPDATE catalogue SET generation = generation + 1, next_series_id = max(next_series_id, ?1)"},
    };
    for (const Item &item : items) {
        auto stmt = m_db.prepare(item.sql);
        if (!stmt)
            return std::unexpected(stmt.error());
        *item.stmt = std::move(*stmt);
    }
    auto downsampler = Downsampler::prepare(m_db);
    if (!downsampler)
        return std::unexpected(downsampler.error());
    m_downsampler = std::move(*downsampler);
    auto logs = LogTableWriter::prepare(m_db);
    if (!logs)
        return std::unexpected(logs.error());
    m_logs = std::move(*logs);
    return {};
}

bool StoreWriter::appendToHead(std::size_t index, std::int64_t timestampMs, double value)
{
    SeriesHead &head = m_heads[index];
    const std::size_t sealedBefore = m_sealed.size();
    if (!head.append(timestampMs, value, m_sealed))
        return false;
    if (m_sealed.size() != sealedBefore)
        m_mustWrite.push_back(index);
    if (!head.touched()) {
        head.setTouched(true);
        m_touched.push_back(index);
    }
    return true;
}

std::size_t StoreWriter::seriesIndex(std::string_view key)
{
    if (const auto found = m_index.find(key))
        return *found;
    const std::size_t index = m_heads.size();
    m_heads.emplace_back(m_nextId++);
    m_index.insert(key, static_cast<std::uint32_t>(index));
    m_newSeries.push_back(NewSeries{index, std::string(key)});
    ++m_counters.seriesCount;
    return index;
}

void StoreWriter::add(std::string_view metric, const Labels &labels, std::int64_t timestampMs, double value)
{
    if (timestampMs > kMaxAbsTimestampMs || timestampMs < -kMaxAbsTimestampMs) {
        ++m_counters.outOfRangeSamples;
        return;
    }
    m_keyScratch.clear();
    appendSeriesKey(m_keyScratch, metric, labels);
    addAt(seriesIndex(m_keyScratch), timestampMs, value);
}

void StoreWriter::addAt(std::size_t index, std::int64_t timestampMs, double value)
{
    if (timestampMs > kMaxAbsTimestampMs || timestampMs < -kMaxAbsTimestampMs) {
        ++m_counters.outOfRangeSamples;
        return;
    }
    if (!appendToHead(index, timestampMs, value)) {
        ++m_counters.outOfOrderSamples;
        return;
    }
    if (!m_bulk) {
        // A decimal chunk just took the value: it fits the chunk's digit count.
        const ChunkEncoder &chunk = m_heads[index].chunk();
        m_log.add(m_heads[index].seriesId(), timestampMs, value, isDecimal(chunk.coding()) ? chunk.decimals() : -1);
        // Several samples per series in one commit: rewriting their heads is cheaper than logging.
        if (m_log.count() % 4096 == 0 && m_log.count() > 4 * m_touched.size()) {
            m_bulk = true;
            m_log.clear();
        }
    }
    ++m_counters.pendingSamples;
}

void StoreWriter::add(const MetricBatch &batch)
{
    for (const Sample &s : batch.samples)
        add(s.metric, s.labels, s.timestampMs, s.value);
    if (!batch.series || batch.refSamples.empty())
        return;
    // Refs of a lineage always name the same series: look each one up once, then index by ref.
    const SeriesTable &table = *batch.series;
    RefMap &map = m_refMaps[table.lineage()];
    map.lastUsedCommit = m_commits;
    if (map.index.size() < table.size())
        map.index.resize(table.size(), kNoIndex);
    // Prefetch: heads two strides ahead, the open chunk's tail of the head one stride ahead (by then
    // the head's own lines have arrived), so that append() rarely waits for memory (SeriesHead::prefetch).
    constexpr std::size_t kStride = 6;
    const auto &refs = batch.refSamples;
    auto known = [&](std::size_t k) -> const SeriesHead * {
        const std::uint32_t ref = refs[k].ref;
        if (ref >= table.size() || map.index[ref] == kNoIndex)
            return nullptr;
        return &m_heads[map.index[ref]];
    };
    for (std::size_t k = 0; k < refs.size(); ++k) {
        if (k + 2 * kStride < refs.size()) {
            if (const SeriesHead *ahead = known(k + 2 * kStride))
                ahead->prefetch();
        }
        if (k + kStride < refs.size()) {
            if (const SeriesHead *ahead = known(k + kStride))
                ahead->prefetchChunkTail();
        }
        const RefSample &r = refs[k];
        if (r.ref >= table.size())
            continue; // not from this table: a caller's bug, never a crash
        if (r.timestampMs > kMaxAbsTimestampMs || r.timestampMs < -kMaxAbsTimestampMs) {
            ++m_counters.outOfRangeSamples; // before the lookup: no series row for a sample never stored
            continue;
        }
        std::uint32_t &index = map.index[r.ref];
        if (index == kNoIndex) {
            index = static_cast<std::uint32_t>(seriesIndex(table.key(r.ref)));
        }
        addAt(index, r.timestampMs, r.value);
    }
}

Result<void> StoreWriter::writePending(std::size_t sliceEnd, bool logged)
{
    Statements &st = *m_stmts;
    // The matcher index rows of new series go in in key order: a first scrape of 1,000 targets brings
    // half a million series and millions of rows, and in series order each one lands on another page
    // of the index.
    struct LabelRow {
        std::string_view name;
        std::string_view value;
        std::int64_t id;
        auto operator<=>(const LabelRow &) const = default;
    };
    std::vector<LabelRow> labelRows;
    labelRows.reserve(m_newSeries.size() * 6);
    for (const NewSeries &n : m_newSeries) {
        const std::int64_t id = m_heads[n.index].seriesId();
        const auto parts = splitSeriesKey(n.key);
        if (!parts)
            return fail("internal error: a new series' key does not decode");
        st.insertSeries.reset();
        st.insertSeries.bind(1, id).bindBlob(2, parts->metric).bindBlob(3, parts->labelBlob);
        if (auto r = st.insertSeries.run(); !r)
            return r;
        labelRows.push_back(LabelRow{"__name__", parts->metric, id});
        const bool whole = forEachLabel(parts->labelBlob, [&](std::string_view name, std::string_view value) {
            labelRows.push_back(LabelRow{name, value, id});
        });
        if (!whole)
            return fail("internal error: a new series' labels do not decode");
    }
    std::sort(labelRows.begin(), labelRows.end());
    for (const LabelRow &row : labelRows) {
        st.insertLabel.reset();
        st.insertLabel.bindBlob(1, row.name).bindBlob(2, row.value).bind(3, row.id);
        if (auto r = st.insertLabel.run(); !r)
            return r;
    }
    for (const SealedChunk &c : m_sealed) {
        Statement &s = c.resolutionMs == 0 ? st.insertChunk : st.insertRollup;
        s.reset();
        int i = 1;
        if (c.resolutionMs != 0)
            s.bind(i++, c.resolutionMs);
        s.bind(i, c.seriesId).bind(i + 1, c.startMs).bind(i + 2, c.endMs).bind(i + 3, std::int64_t{c.count});
        s.bindBlob(i + 4, m_sealed.bytes(c));
        if (auto r = s.run(); !r)
            return r;
    }
    for (std::size_t index : logged ? m_mustWrite : m_touched) {
        if (auto r = writeHeadRows(m_heads[index]); !r)
            return r;
    }
    for (std::size_t i = m_cursor; i < sliceEnd; ++i) {
        if (m_heads[i].dirty()) {
            if (auto r = writeHeadRows(m_heads[i]); !r)
                return r;
        }
    }
    if (logged && !m_log.empty()) {
        st.insertLog.reset();
        st.insertLog.bind(1, m_nextLogSeq).bindBlob(2, m_log.bytes());
        if (auto r = st.insertLog.run(); !r)
            return r;
    }
    if (sliceEnd >= m_heads.size()) {
        // The cycle is complete: every head's rows hold every sample logged before it began.
        st.deleteLogBefore.reset();
        st.deleteLogBefore.bind(1, m_cycleStartSeq);
        if (auto r = st.deleteLogBefore.run(); !r)
            return r;
    }
    return {};
}

Result<void> StoreWriter::writeHeadRows(const SeriesHead &h)
{
    Statements &st = *m_stmts;
    const ChunkEncoder &c = h.chunk();
    if (c.count() > 0) {
        st.upsertHead.reset();
        st.upsertHead.bind(1, h.seriesId()).bind(2, c.firstTimestampMs()).bind(3, c.lastTimestampMs());
        m_rowBytes.clear();
        c.appendTo(m_rowBytes);
        st.upsertHead.bind(4, std::int64_t{c.count()}).bindBlob(5, m_rowBytes);
        if (auto r = st.upsertHead.run(); !r)
            return r;
    } else {
        st.deleteHead.reset();
        st.deleteHead.bind(1, h.seriesId());
        if (auto r = st.deleteHead.run(); !r)
            return r;
    }
    for (const RollupTrack *t : {&h.rollup1m(), &h.rollup1h()}) {
        if (!t->rowChanged())
            continue;
        const bool stored = t->hasHeadRow();
        Statement &s = stored ? st.upsertRollupHead : st.deleteRollupHead;
        s.reset();
        s.bind(1, t->resolutionMs()).bind(2, h.seriesId());
        if (stored) {
            s.bind(3, t->headStartMs()).bind(4, t->headEndMs()).bind(5, std::int64_t{t->headCount()});
            m_rowBytes.clear();
            t->appendHeadTo(m_rowBytes, m_rowScratch);
            s.bindBlob(6, m_rowBytes);
        }
        if (auto r = s.run(); !r)
            return r;
    }
    return {};
}

Result<void> StoreWriter::commit()
{
    if (!hasPending() && m_newSeries.empty())
        return {};
    std::sort(m_mustWrite.begin(), m_mustWrite.end());
    m_mustWrite.erase(std::unique(m_mustWrite.begin(), m_mustWrite.end()), m_mustWrite.end());
    const std::size_t slice = std::max<std::size_t>(64, (m_heads.size() + kCheckpointCommits - 1) / kCheckpointCommits);
    const std::size_t sliceEnd = std::min(m_heads.size(), m_cursor + slice);
    if (auto r = m_db.exec("BEGIN IMMEDIATE"); !r)
        return fail("cannot start a write transaction: " + r.error().message);
    // A log row costs about 6 bytes a sample; a head row rewrite a few hundred bytes whatever it holds.
    // Log when the commit holds about a sample per series (live scrapes), rewrite heads when it holds
    // many (imports, catching up after a stall).
    const bool logged = !m_bulk && m_log.count() <= 4 * m_touched.size();
    auto written = writePending(sliceEnd, logged);
    if (written)
        written = m_logs->write(wallClockMs());
    if (written) {
        if (auto r = m_db.exec("COMMIT"); !r)
            written = std::unexpected(r.error());
    }
    if (!written) {
        (void)m_db.exec("ROLLBACK");
        return fail("commit failed, " + std::to_string(m_counters.pendingSamples) +
                    " samples kept in memory for the next attempt: " + written.error().message);
    }
    for (std::size_t index : logged ? m_mustWrite : m_touched)
        m_heads[index].markClean();
    for (std::size_t index : m_touched)
        m_heads[index].setTouched(false);
    m_touched.clear();
    for (std::size_t i = m_cursor; i < sliceEnd; ++i)
        m_heads[i].markClean();
    if (logged && !m_log.empty())
        ++m_nextLogSeq;
    m_log.clear();
    m_bulk = false;
    if (sliceEnd >= m_heads.size()) {
        m_cursor = 0;
        m_cycleStartSeq = m_nextLogSeq;
    } else {
        m_cursor = sliceEnd;
    }
    m_mustWrite.clear();
    m_sealed.clear();
    // Forget the ref maps of tables no batch used for a while (removed targets, churned lineages).
    if (++m_commits % 256 == 0)
        std::erase_if(m_refMaps, [&](const auto &kv) { return kv.second.lastUsedCommit + 256 < m_commits; });
    m_newSeries.clear();
    m_counters.committedSamples += m_counters.pendingSamples;
    m_counters.pendingSamples = 0;
    m_counters.committedLogRecords += m_logs->pendingRecords();
    m_logs->committed();
    return {};
}

Result<void> StoreWriter::checkpointAll()
{
    if (auto r = commit(); !r)
        return r;
    if (auto r = m_db.exec("BEGIN IMMEDIATE"); !r)
        return fail("cannot start a checkpoint: " + r.error().message);
    auto written = [&]() -> Result<void> {
        for (const SeriesHead &h : m_heads) {
            if (h.dirty()) {
                if (auto r = writeHeadRows(h); !r)
                    return r;
            }
        }
        m_stmts->deleteLogBefore.reset();
        m_stmts->deleteLogBefore.bind(1, m_nextLogSeq);
        if (auto r = m_stmts->deleteLogBefore.run(); !r)
            return r;
        return m_db.exec("COMMIT");
    }();
    if (!written) {
        (void)m_db.exec("ROLLBACK");
        return fail("checkpoint failed: " + written.error().message);
    }
    for (SeriesHead &h : m_heads)
        h.markClean();
    m_cursor = 0;
    m_cycleStartSeq = m_nextLogSeq;
    return {};
}

} // namespace pulse::storage
