// Read-side catalogue cache, matcher lookup and chunk merging.
#include "storage/read_connection.h"

#include "core/promql/series_matcher.h"
#include "storage/chunk_decoder.h"
#include "storage/rollup_codec.h"
#include "storage/rollup_track.h"
#include "storage/series_head.h"
#include "storage/series_key.h"
#include "storage/store_schema.h"

#include <algorithm>

namespace pulse::storage {

struct ReadConnection::Statements {
    Statement newSeries, byLabel, chunks, head, rollups, rollupHead;
};

ReadConnection::ReadConnection(SqliteDb db) : m_db(std::move(db)) {}
ReadConnection::~ReadConnection() = default;

Result<std::unique_ptr<ReadConnection>> ReadConnection::open(const std::string &path)
{
    auto db = StoreSchema::openForRead(path);
    if (!db)
        return std::unexpected(db.error());
    std::unique_ptr<ReadConnection> conn(new ReadConnection(std::move(*db)));
    conn->m_stmts = std::make_unique<Statements>();
    Statements &st = *conn->m_stmts;
    struct Item {
        Statement *stmt;
        const char *sql;
    };
    // Chunks never span more than kMaxChunkSpanMs (rollups: kRollupChunkBuckets buckets), which
    // bounds how far before `start` the index scan has to begin.
    const Item items[] = {
        {&st.newSeries, "SELECT id, metric, labels FROM series WHERE id > ?1 ORDER BY id"},
        {&st.byLabel, "SELECT series_id FROM series_label WHERE name = ?1 AND value = ?2"},
        {&st.chunks, "SELECT data FROM chunk WHERE series_id = ?1 AND start_ms BETWEEN ?2 AND ?3 AND end_ms >= ?4 "
                     "ORDER BY start_ms"},
        {&st.head, "SELECT data FROM head_chunk WHERE series_id = ?1 AND start_ms <= ?2 AND end_ms >= ?3"},
        {&st.rollups, "SELECT data FROM rollup_chunk WHERE resolution_ms = ?1 AND series_id = ?2 AND start_ms "
                      "BETWEEN ?3 AND ?4 AND end_ms >= ?5 ORDER BY start_ms"},
        {&st.rollupHead, "SELECT data FROM rollup_head WHERE resolution_ms = ?1 AND series_id = ?2 AND "
                         "start_ms <= ?3 AND end_ms >= ?4"},
    };
    for (const Item &item : items) {
        auto stmt = conn->m_db.prepare(item.sql);
        if (!stmt)
            return std::unexpected(stmt.error());
        *item.stmt = std::move(*stmt);
    }
    return conn;
}

Result<void> ReadConnection::begin()
{
    if (auto r = m_db.exec("BEGIN"); !r)
        return r;
    return refreshCatalog();
}

void ReadConnection::end()
{
    (void)m_db.exec("COMMIT");
}

Result<void> ReadConnection::refreshCatalog()
{
    Statement &s = m_stmts->newSeries;
    s.reset();
    s.bind(1, m_maxId);
    for (;;) {
        auto row = s.step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        auto labels = decodeLabels(s.columnText(2));
        if (!labels)
            return std::unexpected(labels.error());
        const std::int64_t id = s.columnInt(0);
        m_byId.emplace(id, m_entries.size());
        m_entries.push_back(CatalogEntry{id, std::string(s.columnText(1)), std::move(*labels)});
        m_maxId = std::max(m_maxId, id);
    }
    s.reset();
    return {};
}

Result<std::vector<const CatalogEntry *>> ReadConnection::matchSeries(std::span<const LabelMatcher> matchers)
{
    auto matcher = promql::SeriesMatcher::compile(matchers);
    if (!matcher)
        return std::unexpected(matcher.error());
    std::vector<std::int64_t> candidates;
    bool narrowed = false;
    for (const LabelMatcher &m : matchers) {
        if (m.op != LabelMatcher::Op::Equal || m.value.empty())
            continue;
        Statement &s = m_stmts->byLabel;
        s.reset();
        s.bindBlob(1, m.name).bindBlob(2, m.value);
        std::vector<std::int64_t> ids;
        for (;;) {
            auto row = s.step();
            if (!row)
                return std::unexpected(row.error());
            if (!*row)
                break;
            ids.push_back(s.columnInt(0));
        }
        s.reset();
        std::sort(ids.begin(), ids.end());
        if (!narrowed) {
            candidates = std::move(ids);
            narrowed = true;
        } else {
            std::vector<std::int64_t> both;
            std::set_intersection(candidates.begin(), candidates.end(), ids.begin(), ids.end(),
                                  std::back_inserter(both));
            candidates = std::move(both);
        }
    }
    std::vector<const CatalogEntry *> out;
    auto consider = [&](const CatalogEntry &e) {
        if (matcher->matches(e.metric, e.labels))
            out.push_back(&e);
    };
    if (narrowed) {
        for (std::int64_t id : candidates) {
            if (auto it = m_byId.find(id); it != m_byId.end())
                consider(m_entries[it->second]);
        }
    } else {
        for (const CatalogEntry &e : m_entries)
            consider(e);
    }
    return out;
}

namespace {

// saturatingSub keeps "start minus the longest chunk span" from overflowing for open-ended ranges.
std::int64_t saturatingSub(std::int64_t a, std::int64_t b)
{
    return a < INT64_MIN + b ? INT64_MIN : a - b;
}

template <class Decode> Result<void> forEachBlob(Statement &s, Decode decode)
{
    for (;;) {
        auto row = s.step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            break;
        if (auto r = decode(s.columnText(0)); !r) {
            s.reset();
            return r;
        }
    }
    s.reset();
    return {};
}

} // namespace

Result<void> ReadConnection::readSamples(std::int64_t seriesId, std::int64_t startMs, std::int64_t endMs,
                                         std::vector<std::int64_t> &timestampsMs, std::vector<double> &values)
{
    auto decode = [&](std::string_view blob) {
        return ChunkDecoder::decodeRange(blob, startMs, endMs, timestampsMs, values);
    };
    Statement &chunks = m_stmts->chunks;
    chunks.reset();
    chunks.bind(1, seriesId).bind(2, saturatingSub(startMs, kMaxChunkSpanMs)).bind(3, endMs).bind(4, startMs);
    if (auto r = forEachBlob(chunks, decode); !r)
        return r;
    Statement &head = m_stmts->head;
    head.reset();
    head.bind(1, seriesId).bind(2, endMs).bind(3, startMs);
    return forEachBlob(head, decode);
}

Result<void> ReadConnection::readRollups(std::int64_t resolutionMs, std::int64_t seriesId, std::int64_t startMs,
                                         std::int64_t endMs, std::vector<RollupBucket> &out)
{
    auto decode = [&](std::string_view blob) { return decodeRollups(blob, startMs, endMs, out); };
    Statement &chunks = m_stmts->rollups;
    chunks.reset();
    chunks.bind(1, resolutionMs).bind(2, seriesId).bind(3, saturatingSub(startMs, kRollupChunkBuckets * resolutionMs));
    chunks.bind(4, endMs).bind(5, startMs);
    if (auto r = forEachBlob(chunks, decode); !r)
        return r;
    Statement &head = m_stmts->rollupHead;
    head.reset();
    head.bind(1, resolutionMs).bind(2, seriesId).bind(3, endMs).bind(4, startMs);
    return forEachBlob(head, decode);
}

} // namespace pulse::storage
