// Open-addressing fingerprint table for the writer's series lookups (see series_key_index.h).
#include "storage/series_key_index.h"

namespace pulse::storage {

std::optional<std::uint32_t> SeriesKeyIndex::find(std::string_view key) const
{
    if (m_slots.empty())
        return std::nullopt;
    const SeriesFingerprint fp = sipHash128(m_key, key);
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = fp.lo & mask;; i = (i + 1) & mask) {
        const Slot &s = m_slots[i];
        if (s.index == kEmpty)
            return std::nullopt;
        if (s.fingerprint == fp)
            return s.index;
    }
}

void SeriesKeyIndex::insert(std::string_view key, std::uint32_t index)
{
    if ((m_size + 1) * 8 > m_slots.size() * 7)
        grow();
    place(Slot{sipHash128(m_key, key), index});
    ++m_size;
}

void SeriesKeyIndex::place(const Slot &slot)
{
    const std::size_t mask = m_slots.size() - 1;
    std::size_t i = slot.fingerprint.lo & mask;
    while (m_slots[i].index != kEmpty)
        i = (i + 1) & mask;
    m_slots[i] = slot;
}

void SeriesKeyIndex::grow()
{
    std::vector<Slot> old = std::move(m_slots);
    m_slots.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    for (const Slot &s : old) {
        if (s.index != kEmpty)
            place(s);
    }
}

void SeriesKeyIndex::compact(const std::vector<std::uint32_t> &newIndex)
{
    // Removing from a linearly probed table would need the slots after each hole moved back; one
    // rebuild does every removal at once.
    std::vector<Slot> old = std::move(m_slots);
    m_slots.assign(old.size(), Slot{});
    m_size = 0;
    for (Slot s : old) {
        if (s.index == kEmpty || newIndex[s.index] == kGone)
            continue;
        s.index = newIndex[s.index];
        place(s);
        ++m_size;
    }
}

} // namespace pulse::storage
