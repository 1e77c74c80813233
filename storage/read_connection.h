// ReadConnection: one read-only connection to the history with its prepared statements and a
// cache of the series catalogue. Used by one query at a time (SqliteHistory pools them).
//
// The catalogue is filled lazily: a selector with an equality matcher (every selector with a metric
// name) loads only the series the series_label index lists for it; only a selector without one loads
// every series. A first query on a history of 100k series so costs what it reads, not ~300 ms.
#pragma once

#include "core/base/error.h"
#include "core/base/history_reader.h"
#include "storage/head_log_view.h"
#include "storage/rollup_bucket.h"
#include "storage/series_scan.h"
#include "storage/sqlite_db.h"

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace pulse::storage {

struct CatalogEntry {
    std::int64_t id = 0;
    std::string metric;
    Labels labels;
};

class ReadConnection {
public:
    static Result<std::unique_ptr<ReadConnection>> open(const std::string &path);
    ~ReadConnection();

    /// begin/end bracket one query in a read transaction, so it sees one committed snapshot (WAL
    /// readers never wait for the writer).
    Result<void> begin();
    void end();

    /// matchSeries returns the catalogue entries matching every matcher. Equality matchers go
    /// through the series_label index; the rest are tested on the candidates in memory. The answer
    /// is remembered until a series is added or pruned: rules and live panels ask the same selectors
    /// every few seconds, and looking them up was most of a rule's evaluation (bench/rules_bench:
    /// an index scan of every series of the metric, a sort, an intersection).
    Result<std::vector<const CatalogEntry *>> matchSeries(std::span<const LabelMatcher> matchers);
    /// trackLog makes scan() include the head log's samples of these series (call before reading them).
    Result<void> trackLog(std::span<const std::int64_t> seriesIds) { return m_log->track(seriesIds); }
    /// scan reads the chunks of one series (raw samples, stored buckets, both tiers at once).
    SeriesScan &scan() { return *m_scan; }

private:
    ReadConnection(SqliteDb db, Statement newSeries, Statement byLabel, Statement byId, Statement generation);
    /// loadAll brings every series into the catalogue (a selector without an equality matcher).
    Result<void> loadAll();
    /// entry is the catalogue entry of `id`, read from the series table when first needed; null when
    /// the series has no row.
    Result<const CatalogEntry *> entry(std::int64_t id);
    /// lookUp is matchSeries without the memory.
    Result<std::vector<const CatalogEntry *>> lookUp(std::span<const LabelMatcher> matchers);
    /// matchKey identifies a selector's matchers (order included) in m_matches.
    static std::string matchKey(std::span<const LabelMatcher> matchers);
    /// add decodes a catalogue row; a corrupt label set is set aside (quarantined), never an error:
    /// one damaged row must not fail every query that meets it.
    void add(std::int64_t id, std::string_view metric, std::string_view labelBlob);

    // m_db first: the statements below must be finalized before the connection closes.
    SqliteDb m_db;
    Statement m_newSeries;
    Statement m_byLabel;
    Statement m_seriesById;
    Statement m_generation; ///< the catalogue's prune generation (StoreWriter::pruneSeries)
    std::unique_ptr<HeadLogView> m_log;
    std::unique_ptr<SeriesScan> m_scan;
    // A deque: entries handed out by matchSeries stay put while later selectors of the query load more.
    std::deque<CatalogEntry> m_entries;
    std::unordered_map<std::int64_t, std::size_t> m_byId;
    std::unordered_set<std::int64_t> m_quarantined; ///< ids whose label set would not decode
    std::int64_t m_allUpTo = 0;                     ///< every series with an id up to this one is loaded
    std::int64_t m_seenGeneration = 0;              ///< the catalogue generation the cache belongs to
    std::int64_t m_newestSeries = 0;                ///< the highest series id when m_matches was filled
    static constexpr std::size_t kMaxRememberedSelectors = 10'000;
    /// m_matches: selectors' answers (matchKey -> entries), valid for m_seenGeneration and m_newestSeries.
    std::unordered_map<std::string, std::vector<const CatalogEntry *>> m_matches;
};

} // namespace pulse::storage
