// HashIndex: growth and clearing of the open-addressing table.
#include "core/base/hash_index.h"

#include <algorithm>
#include <utility>

namespace pulse::expo {

namespace {
constexpr std::size_t kMinSlots = 16;
}

void HashIndex::clear()
{
    if (m_size == 0)
        return;
    if (m_slots.size() > 4096 && m_size * 16 < m_slots.size()) {
        // Mostly empty after a large use: a smaller table is cheaper to clear and to keep in cache.
        m_slots = std::vector<Slot>(std::max(kMinSlots, std::bit_ceil(m_size * 2)));
    } else {
        std::fill(m_slots.begin(), m_slots.end(), Slot{});
    }
    m_size = 0;
}

void HashIndex::grow()
{
    std::vector<Slot> old = std::exchange(m_slots, std::vector<Slot>(m_slots.empty() ? kMinSlots : m_slots.size() * 2));
    const std::size_t mask = m_slots.size() - 1;
    for (const Slot &slot : old) {
        if (slot.tag == 0)
            continue;
        std::size_t i = slot.tag & mask;
        while (m_slots[i].tag != 0)
            i = (i + 1) & mask;
        m_slots[i] = slot;
    }
}

} // namespace pulse::expo
