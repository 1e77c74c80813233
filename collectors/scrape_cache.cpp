// ScrapeCache: exposed series -> refs, with Prometheus's target label rules (see scrape_cache.h).
#include "collectors/scrape_cache.h"

#include <algorithm>
#include <cstring>

namespace pulse {

namespace {

// appendField writes a length-prefixed field, so no byte in a name or value can make two keys equal.
void appendField(std::string &key, std::string_view field)
{
    const auto n = static_cast<std::uint32_t>(field.size());
    key.append(reinterpret_cast<const char *>(&n), sizeof n);
    key.append(field);
}

// sameKey tells whether `key` (built by appendField) is the key of (name, labels), without building it.
bool sameKey(std::string_view key, std::string_view name, const LabelView *labels, std::size_t count)
{
    std::size_t at = 0;
    auto field = [&](std::string_view f) {
        std::uint32_t n = 0;
        if (key.size() - at < sizeof n + f.size())
            return false;
        std::memcpy(&n, key.data() + at, sizeof n);
        if (n != f.size() || std::memcmp(key.data() + at + sizeof n, f.data(), f.size()) != 0)
            return false;
        at += sizeof n + f.size();
        return true;
    };
    if (!field(name))
        return false;
    for (std::size_t i = 0; i < count; ++i)
        if (!field(labels[i].name) || !field(labels[i].value))
            return false;
    return at == key.size();
}

} // namespace

ScrapeCache::ScrapeCache(Labels targetLabels, bool honorLabels)
    : m_targetLabels(std::move(targetLabels)), m_honorLabels(honorLabels), m_table(std::make_shared<SeriesTable>())
{
}

Labels ScrapeCache::finalLabels(const LabelView *labels, std::size_t count, const Labels &targetLabels,
                                bool honorLabels)
{
    std::vector<Label> items;
    items.reserve(count + targetLabels.size());
    // An empty label value is the same as no label (Prometheus drops such labels before storing).
    for (std::size_t i = 0; i < count; ++i)
        if (!labels[i].value.empty())
            items.push_back(Label{std::string(labels[i].name), std::string(labels[i].value)});
    Labels out(std::move(items));
    for (const Label &l : targetLabels) {
        if (out.has(l.name) && !out.value(l.name).empty()) {
            if (honorLabels)
                continue;
            const std::string theirs(out.value(l.name)); // set() may move the storage
            out.set("exported_" + l.name, theirs);
        }
        out.set(l.name, l.value);
    }
    return out;
}

void ScrapeCache::begin(std::int64_t defaultTimestampMs, std::uint64_t newSeriesAllowed)
{
    m_defaultTs = defaultTimestampMs;
    m_samples.clear();
    m_future = 0;
    m_ancient = 0;
    m_newAllowed = newSeriesAllowed;
    m_newSeries = 0;
    m_overBudget = false;
    if (m_table->size() > 2 * m_lastScrapeSize + 1024) {
        // The target's series churn: forget the ones it no longer exposes. Those the last scrape had
        // come back at once, re-added: the budget must not count them as new (8 bytes a series).
        // (After a failed scrape the order is empty and the hashes carried before still stand.)
        if (!m_previousOrder.empty()) {
            m_carried.clear();
            m_carried.reserve(m_previousOrder.size());
            for (const std::uint32_t ref : m_previousOrder)
                m_carried.push_back(std::hash<std::string_view>{}(keyOf(ref)));
            std::sort(m_carried.begin(), m_carried.end());
        }
        m_table = std::make_shared<SeriesTable>();
        m_shared = false;
        m_fresh = true;
        m_keys = {};
        m_keyStart.assign(1, 0);
        m_slots = {};
        m_previousOrder.clear();
    }
}

void ScrapeCache::sample(std::string_view name, const LabelView *labels, std::size_t count, double value,
                         std::optional<std::int64_t> timestampMs)
{
    if (timestampMs) {
        // A sample from the far future would stand for "now" in every chart and rule until then.
        if (*timestampMs > m_defaultTs + m_maxFutureMs) {
            ++m_future;
            return;
        }
        if (*timestampMs < kPlausibleSinceMs)
            ++m_ancient;
    }
    const std::size_t position = m_samples.size();
    if (position < m_previousOrder.size() && sameKey(keyOf(m_previousOrder[position]), name, labels, count)) {
        m_samples.push_back(RefSample{m_previousOrder[position], timestampMs.value_or(m_defaultTs), value});
        return;
    }
    m_key.clear();
    appendField(m_key, name);
    for (std::size_t i = 0; i < count; ++i) {
        appendField(m_key, labels[i].name);
        appendField(m_key, labels[i].value);
    }
    const std::size_t hash = std::hash<std::string_view>{}(m_key);
    std::uint32_t ref = findRef(hash);
    if (ref == kNoRef) {
        const bool carried = !m_carried.empty() && std::binary_search(m_carried.begin(), m_carried.end(), hash);
        if (!carried && m_newSeries >= m_newAllowed) {
            // Over the target's budget: the scrape will fail; building labels for the rest of a
            // churning payload would only cost time and memory.
            m_overBudget = true;
            return;
        }
        if (!carried)
            ++m_newSeries;
        if (m_shared) {
            m_table = std::make_shared<SeriesTable>(*m_table); // same lineage, same refs
            m_shared = false;
            m_fresh = true;
        }
        ref = m_table->add(name, finalLabels(labels, count, m_targetLabels, m_honorLabels));
        // Refs are handed out in order (0, 1, 2, …), so the new key is the next one in m_keys.
        m_keys += m_key;
        m_keyStart.push_back(static_cast<std::uint32_t>(m_keys.size()));
        m_keysGrew = true;
        insertSlot(hash, ref);
    }
    m_samples.push_back(RefSample{ref, timestampMs.value_or(m_defaultTs), value});
}

std::uint32_t ScrapeCache::findRef(std::size_t hash) const
{
    if (m_slots.empty())
        return kNoRef;
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const std::uint32_t slot = m_slots[i];
        if (slot == 0)
            return kNoRef;
        if (keyOf(slot - 1) == m_key)
            return slot - 1;
    }
}

void ScrapeCache::insertSlot(std::size_t hash, std::uint32_t ref)
{
    const std::size_t refs = m_keyStart.size() - 1;
    if (refs * 8 > m_slots.size() * 7) {
        // Grow to twice the size and put every ref back (hashing its key again: this happens
        // log(n) times in a lineage's life).
        m_slots.assign(m_slots.empty() ? 1024 : m_slots.size() * 2, 0);
        const std::size_t mask = m_slots.size() - 1;
        for (std::uint32_t r = 0; r + 1 < refs; ++r) {
            std::size_t i = std::hash<std::string_view>{}(keyOf(r)) & mask;
            while (m_slots[i] != 0)
                i = (i + 1) & mask;
            m_slots[i] = r + 1;
        }
    }
    const std::size_t mask = m_slots.size() - 1;
    std::size_t i = hash & mask;
    while (m_slots[i] != 0)
        i = (i + 1) & mask;
    m_slots[i] = ref + 1;
}

std::shared_ptr<const SeriesTable> ScrapeCache::finish(std::vector<RefSample> &samples, bool &isNew)
{
    isNew = m_fresh;
    if (m_fresh)
        m_table->compact(); // about to be shared: give back the slack of this scrape's additions
    m_fresh = false;
    m_carried = {}; // the new lineage now holds them
    m_lastScrapeSize = m_samples.size();
    m_previousOrder.resize(m_samples.size());
    for (std::size_t i = 0; i < m_samples.size(); ++i)
        m_previousOrder[i] = m_samples[i].ref;
    samples = std::move(m_samples);
    m_samples = {};
    m_shared = true;
    if (m_keysGrew && m_keys.capacity() > m_keys.size() + m_keys.size() / 2) {
        // The keys stay as they are until the target churns: give back the slack of their growth
        // (not after every new series: a target adding one now and then would copy them each time).
        m_keys.shrink_to_fit();
        m_keyStart.shrink_to_fit();
    }
    m_keysGrew = false;
    return m_table;
}

} // namespace pulse
