// Read-side catalogue cache and matcher lookup.
#include "storage/read_connection.h"

#include "core/base/series_key.h"
#include "core/selection/series_matcher.h"
#include "storage/store_schema.h"

#include <algorithm>

namespace pulse::storage {

ReadConnection::ReadConnection(SqliteDb db, Statement newSeries, Statement byLabel, Statement byId,
                               Statement generation)
    : m_db(std::move(db)), m_newSeries(std::move(newSeries)), m_byLabel(std::move(byLabel)),
      m_seriesById(std::move(byId)), m_generation(std::move(generation))
{
}

ReadConnection::~ReadConnection() = default;

Result<std::unique_ptr<ReadConnection>> ReadConnection::open(const std::string &path)
{
    auto db = StoreSchema::openForRead(path);
    if (!db)
        return std::unexpected(db.error());
    auto newSeries = db->prepare("SELECT id, metric, labels FROM series WHERE id > ?1 ORDER BY id");
    if (!newSeries)
        return std::unexpected(newSeries.error());
    auto byLabel = db->prepare("SELECT series_id FROM series_label WHERE name = ?1 AND value = ?2");
    if (!byLabel)
        return std::unexpected(byLabel.error());
    auto byId = db->prepare("SELECT id, metric, labels FROM series WHERE id = ?1");
    if (!byId)
        return std::unexpected(byId.error());
    auto generation = db->prepare("SELECT generation, (SELECT coalesce(max(id), 0) FROM series) FROM catalogue");
    if (!generation)
        return std::unexpected(generation.error());
    std::unique_ptr<ReadConnection> conn(new ReadConnection(std::move(*db), std::move(*newSeries), std::move(*byLabel),
                                                            std::move(*byId), std::move(*generation)));
    auto scan = SeriesScan::prepare(conn->m_db);
    if (!scan)
        return std::unexpected(scan.error());
    auto log = HeadLogView::prepare(conn->m_db);
    if (!log)
        return std::unexpected(log.error());
    conn->m_log = std::make_unique<HeadLogView>(std::move(*log));
    conn->m_scan = std::make_unique<SeriesScan>(std::move(*scan));
    conn->m_scan->setHeadLog(conn->m_log.get());
    return conn;
}

Result<void> ReadConnection::begin()
{
    if (auto r = m_db.exec("BEGIN"); !r)
        return r;
    // The writer pruned series since the last query: what this connection cached may name series
    // that are gone (pointers into m_entries live only within one query, so it can be dropped now).
    m_generation.reset();
    auto row = m_generation.step();
    if (!row) {
        (void)m_db.exec("ROLLBACK");
        return std::unexpected(row.error());
    }
    const std::int64_t generation = *row ? m_generation.columnInt(0) : 0;
    const std::int64_t newestSeries = *row ? m_generation.columnInt(1) : 0;
    m_generation.reset();
    if (generation != m_seenGeneration) {
        m_entries.clear();
        m_byId.clear();
        m_quarantined.clear();
        m_matches.clear();
        m_allUpTo = 0;
        m_seenGeneration = generation;
    }
    // A new series may match a remembered selector: the answers are for the series there were.
    if (newestSeries != m_newestSeries) {
        m_matches.clear();
        m_newestSeries = newestSeries;
    }
    return m_log->refresh();
}

void ReadConnection::end()
{
    (void)m_db.exec("COMMIT");
}

void ReadConnection::add(std::int64_t id, std::string_view metric, std::string_view labelBlob)
{
    if (m_byId.contains(id) || m_quarantined.contains(id))
        return;
    auto labels = decodeLabels(labelBlob);
    if (!labels) {
        m_quarantined.insert(id); // the writer reports it; queries go on without it
        return;
    }
    m_byId.emplace(id, m_entries.size());
    m_entries.push_back(CatalogEntry{id, std::string(metric), std::move(*labels)});
}

Result<void> ReadConnection::loadAll()
{
    Statement &s = m_newSeries;
    s.reset();
    s.bind(1, m_allUpTo);
    auto read = s.forEachRow([&] {
        const std::int64_t id = s.columnInt(0);
        add(id, s.columnText(1), s.columnText(2));
        m_allUpTo = std::max(m_allUpTo, id);
    });
    s.reset();
    return read;
}

Result<const CatalogEntry *> ReadConnection::entry(std::int64_t id)
{
    if (const auto it = m_byId.find(id); it != m_byId.end())
        return &m_entries[it->second];
    if (m_quarantined.contains(id))
        return nullptr;
    Statement &s = m_seriesById;
    s.reset();
    s.bind(1, id);
    auto row = s.step();
    if (!row)
        return std::unexpected(row.error());
    if (*row)
        add(id, s.columnText(1), s.columnText(2));
    s.reset();
    const auto it = m_byId.find(id);
    return it == m_byId.end() ? nullptr : &m_entries[it->second];
}

std::string ReadConnection::matchKey(std::span<const LabelMatcher> matchers)
{
    // Lengths first: no name or value can be mistaken for a separator.
    std::string key;
    for (const LabelMatcher &m : matchers) {
        key += std::to_string(m.name.size()) + ':' + std::to_string(m.value.size()) + ':' +
               std::to_string(static_cast<int>(m.op)) + ':';
        key += m.name;
        key += m.value;
    }
    return key;
}

Result<std::vector<const CatalogEntry *>> ReadConnection::matchSeries(std::span<const LabelMatcher> matchers)
{
    std::string key = matchKey(matchers);
    if (const auto hit = m_matches.find(key); hit != m_matches.end())
        return hit->second;
    auto found = lookUp(matchers);
    if (!found)
        return found;
    if (m_matches.size() >= kMaxRememberedSelectors)
        m_matches.clear(); // more selectors than any set of rules and panels asks each round
    m_matches.emplace(std::move(key), *found);
    return found;
}

Result<std::vector<const CatalogEntry *>> ReadConnection::lookUp(std::span<const LabelMatcher> matchers)
{
    auto matcher = promql::SeriesMatcher::compile(matchers);
    if (!matcher)
        return std::unexpected(matcher.error());
    std::vector<std::int64_t> candidates;
    bool narrowed = false;
    for (const LabelMatcher &m : matchers) {
        if (m.op != LabelMatcher::Op::Equal || m.value.empty())
            continue;
        Statement &s = m_byLabel;
        s.reset();
        s.bindBlob(1, m.name).bindBlob(2, m.value);
        std::vector<std::int64_t> ids;
        auto listed = s.forEachRow([&] { ids.push_back(s.columnInt(0)); });
        s.reset();
        if (!listed)
            return std::unexpected(listed.error());
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
            auto e = entry(id);
            if (!e)
                return std::unexpected(e.error());
            if (*e)
                consider(**e);
        }
    } else {
        if (auto r = loadAll(); !r)
            return std::unexpected(r.error());
        for (const CatalogEntry &e : m_entries)
            consider(e);
    }
    return out;
}

} // namespace pulse::storage
