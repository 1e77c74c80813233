// SeriesKeyIndex: the writer's map from a series' identity to its head, in 24 bytes a slot — the
// series' fingerprint (series_fingerprint.h) and the head's index, in an open-addressing table
// (linear probing, at most 7/8 full). It replaced a hash map of the identity strings, which cost
// ~220 bytes a series (node, string, bucket) where this costs ~30.
#pragma once

#include "storage/series_fingerprint.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace pulse::storage {

/// SeriesKeyIndex maps series keys (appendSeriesKey) to head indexes. Not thread-safe.
class SeriesKeyIndex {
public:
    SeriesKeyIndex() : m_key(SipKey::random()) {}
    /// A fixed key, for tests.
    explicit SeriesKeyIndex(SipKey key) : m_key(key) {}

    /// find returns the index stored for `key`, if any.
    std::optional<std::uint32_t> find(std::string_view key) const;
    /// insert stores `index` for `key`. Precondition: find(key) found nothing.
    void insert(std::string_view key, std::uint32_t index);
    std::size_t size() const { return m_size; }
    /// kGone marks an index that compact() drops.
    static constexpr std::uint32_t kGone = UINT32_MAX;
    /// compact renumbers every entry: index i becomes newIndex[i], and entries whose new index is
    /// kGone are removed. Precondition: every stored index is below newIndex.size(). No keys needed:
    /// the fingerprints are kept.
    void compact(const std::vector<std::uint32_t> &newIndex);

private:
    static constexpr std::uint32_t kEmpty = UINT32_MAX;
    struct Slot {
        SeriesFingerprint fingerprint;
        std::uint32_t index = kEmpty;
    };
    void place(const Slot &slot);
    void grow();

    SipKey m_key;
    std::vector<Slot> m_slots;
    std::size_t m_size = 0;
};

} // namespace pulse::storage
