// HashIndex: an open-addressing table from 64-bit hashes to caller-owned 32-bit positions, used by the
// exposition parser to find duplicate series, regrouped families and clashing names.
//
// The table stores only a hash tag and a value; the caller decides whether a candidate with an equal
// hash is really the same key (usually by looking at the input again), so a hash collision never
// turns into a false "duplicate". Slots are 8 bytes, so that small tables stay in cache.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pulse::expo {

/// hashKey hashes bytes 8 at a time; good enough spread for linear probing, not for adversaries.
inline std::uint64_t hashKey(std::string_view bytes)
{
    constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
    std::uint64_t h = 0x2545F4914F6CDD1Dull ^ (bytes.size() * kMul);
    const char *p = bytes.data();
    std::size_t n = bytes.size();
    while (n >= 8) {
        std::uint64_t v;
        std::memcpy(&v, p, 8);
        h = std::rotl(h ^ (v * kMul), 31) * 0xBF58476D1CE4E5B9ull;
        p += 8;
        n -= 8;
    }
    if (n > 0) {
        std::uint64_t v = 0;
        std::memcpy(&v, p, n);
        h = std::rotl(h ^ (v * kMul), 31) * 0xBF58476D1CE4E5B9ull;
    }
    h ^= h >> 32;
    h *= 0x94D049BB133111EBull;
    h ^= h >> 29;
    return h;
}

/// appendKeyPart appends a length-prefixed part to a key, so keys built from different splits of the
/// same bytes never compare equal.
inline void appendKeyPart(std::string &key, std::string_view part)
{
    const auto size = static_cast<std::uint32_t>(part.size());
    key.append(reinterpret_cast<const char *>(&size), sizeof size);
    key.append(part);
}

class HashIndex {
public:
    /// clear forgets every entry. It keeps the memory unless the table has become much larger than
    /// what it held, so clearing it per small family after one huge family stays cheap.
    void clear();

    std::size_t size() const { return m_size; }

    /// findOrInsert returns the value of an entry whose hash equals `hash` and for which
    /// `same(value)` is true; otherwise it inserts `value` and returns nullopt.
    template <class Same>
    std::optional<std::uint32_t> findOrInsert(std::uint64_t hash, std::uint32_t value, Same &&same)
    {
        if ((m_size + 1) * 4 > m_slots.size() * 3)
            grow();
        const std::uint32_t tag = tagOf(hash);
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = tag & mask;; i = (i + 1) & mask) {
            Slot &slot = m_slots[i];
            if (slot.tag == 0) {
                slot = Slot{tag, value};
                ++m_size;
                return std::nullopt;
            }
            if (slot.tag == tag && same(slot.value))
                return slot.value;
        }
    }

    /// find returns the value of a matching entry, writable, or nullptr.
    template <class Same>
    std::uint32_t *find(std::uint64_t hash, Same &&same)
    {
        if (m_size == 0)
            return nullptr;
        const std::uint32_t tag = tagOf(hash);
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = tag & mask;; i = (i + 1) & mask) {
            Slot &slot = m_slots[i];
            if (slot.tag == 0)
                return nullptr;
            if (slot.tag == tag && same(slot.value))
                return &slot.value;
        }
    }

private:
    struct Slot {
        std::uint32_t tag = 0; ///< high half of the hash, never 0 in a used slot; also picks the bucket
        std::uint32_t value = 0;
    };

    static std::uint32_t tagOf(std::uint64_t hash)
    {
        const auto tag = static_cast<std::uint32_t>(hash >> 32);
        return tag != 0 ? tag : 1;
    }

    void grow();

    std::vector<Slot> m_slots;
    std::size_t m_size = 0;
};

} // namespace pulse::expo
