// ScrapeCache: the prometheus probe's memory of a target's series between scrapes (series_table.h).
//
// As an ExpositionVisitor it turns each parsed sample into a RefSample: the sample's name and labels
// (as exposed) are compared with the series the previous scrape had at the same position — targets
// expose their series in the same order every time, so this is one memcmp — and otherwise looked up
// in a hash of the ones seen before; only a series seen for the first time
// gets its final labels built (target labels, honor_labels, exported_*) and a ref in the table. A
// target whose series churn (the table grows past twice the last scrape plus 1,024) starts a new
// lineage, so the cache stays proportional to what the target exposes now.
//
// Not thread-safe: the probe uses it for one scrape at a time (the Scheduler never overlaps runs).
#pragma once

#include "core/base/labels.h"
#include "core/base/series_table.h"
#include "core/exposition/exposition_parser.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pulse {

class ScrapeCache final : public ExpositionVisitor {
public:
    /// ScrapeCache applies `targetLabels` (job, instance and static labels) as Prometheus does: they
    /// replace scraped labels of the same name, which are kept as exported_<name> — unless honorLabels,
    /// when a non-empty scraped label wins.
    ScrapeCache(Labels targetLabels, bool honorLabels);

    /// kPlausibleSinceMs: samples stamped before 2001-09-09 (1e12 ms) are kept but counted as
    /// implausible — usually seconds written where milliseconds were meant, or a zero timestamp.
    static constexpr std::int64_t kPlausibleSinceMs = 1'000'000'000'000;

    /// setMaxFutureMs: samples stamped more than this after the scrape's start are dropped and counted
    /// (futureSamples); default 10 minutes.
    void setMaxFutureMs(std::int64_t ms) { m_maxFutureMs = ms; }
    /// begin starts a scrape whose samples without a timestamp get `defaultTimestampMs`, and which may
    /// meet at most `newSeriesAllowed` series the cache has not seen (the target's series budget).
    void begin(std::int64_t defaultTimestampMs, std::uint64_t newSeriesAllowed = UINT64_MAX);
    void sample(std::string_view name, const LabelView *labels, std::size_t count, double value,
                std::optional<std::int64_t> timestampMs) override;
    bool wantsHelp() const override { return false; } // samples only: metadata is not stored
    /// finish ends a successful scrape: the samples and the table they refer to (shared from now on);
    /// `isNew` tells whether the table was made by this scrape (queues count its memory once).
    std::shared_ptr<const SeriesTable> finish(std::vector<RefSample> &samples, bool &isNew);
    /// discard ends a failed scrape (its samples are dropped; series it met stay known).
    void discard() { m_samples.clear(); }
    /// futureSamples counts this scrape's samples dropped as too far ahead; ancientSamples the ones
    /// kept although stamped before kPlausibleSinceMs.
    std::size_t futureSamples() const { return m_future; }
    std::size_t ancientSamples() const { return m_ancient; }
    /// newSeries counts the series this scrape met for the first time (and added to the cache);
    /// overBudget tells that it met more than begin() allowed — those were not added, and the scrape
    /// must fail. After the cache starts a new lineage, the series the last scrape had are not new:
    /// their key hashes are carried over until a scrape succeeds, so a large steady target with some
    /// churn is not charged for its whole set again at every new lineage.
    std::uint64_t newSeries() const { return m_newSeries; }
    bool overBudget() const { return m_overBudget; }

    /// finalLabels is what a series exposed as (name, labels) is stored as.
    static Labels finalLabels(const LabelView *labels, std::size_t count, const Labels &targetLabels, bool honorLabels);

private:
    /// keyOf is the key of `ref` (built by appendField) in m_keys.
    std::string_view keyOf(std::uint32_t ref) const
    {
        return std::string_view(m_keys).substr(m_keyStart[ref], m_keyStart[ref + 1] - m_keyStart[ref]);
    }
    /// findRef looks m_key up; kNoRef when the target never exposed it (in this lineage).
    std::uint32_t findRef(std::size_t hash) const;
    void insertSlot(std::size_t hash, std::uint32_t ref);
    static constexpr std::uint32_t kNoRef = UINT32_MAX;

    Labels m_targetLabels;
    bool m_honorLabels;
    std::shared_ptr<SeriesTable> m_table;
    bool m_shared = false; ///< m_table was handed out: copy it before adding to it
    bool m_fresh = true;   ///< m_table was made since the last finish()
    // The keys of every ref, back to back (ref r's key is m_keys[m_keyStart[r], m_keyStart[r + 1])),
    // and an open-addressing table of ref + 1 (0: empty) by the key's hash: ~135 bytes a series where
    // a hash map of strings took ~225 (node, string, bucket, pointer).
    std::string m_keys;
    std::vector<std::uint32_t> m_keyStart{0};
    std::vector<std::uint32_t> m_slots;
    bool m_keysGrew = false; ///< keys were added during this scrape (finish() trims the slack)
    std::vector<std::uint32_t> m_previousOrder; ///< refs in the order the last successful scrape gave them
    std::string m_key;
    std::vector<RefSample> m_samples;
    std::int64_t m_defaultTs = 0;
    std::int64_t m_maxFutureMs = 10 * 60 * 1000;
    std::size_t m_future = 0;
    std::size_t m_ancient = 0;
    std::vector<std::size_t> m_carried; ///< sorted key hashes of the last scrape before a new lineage
    std::uint64_t m_newAllowed = UINT64_MAX;
    std::uint64_t m_newSeries = 0;
    bool m_overBudget = false;
    std::size_t m_lastScrapeSize = 0;
};

} // namespace pulse
