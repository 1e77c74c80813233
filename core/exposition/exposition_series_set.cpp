// SeriesSet: duplicate-series detection, one table per sample name (see exposition_series_set.h).
#include "core/exposition/exposition_series_set.h"

#include <bit>
#include <cstring>

namespace pulse::expo {

namespace {

constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
constexpr std::uint64_t kMix = 0xBF58476D1CE4E5B9ull;

std::uint64_t load64(const char *p)
{
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}

std::uint64_t load32(const char *p)
{
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

// mixWord is one multiply per word; hashSeriesLabels' final mix spreads the high bits back down.
std::uint64_t mixWord(std::uint64_t h, std::uint64_t word)
{
    return (h ^ word) * kMul;
}

// mixPart adds one part (a label name or value) to h. Parts are short, so the tail is read with at most
// two overlapping loads instead of a byte loop or a memcpy of variable size. The length is folded into
// the first word, so "ab","c" and "a","bc" hash apart.
std::uint64_t mixPart(std::uint64_t h, std::string_view part)
{
    const char *p = part.data();
    const std::size_t n = part.size();
    h += n;
    if (n >= 8) {
        const char *last = p + n - 8;
        for (; p < last; p += 8)
            h = mixWord(h, load64(p));
        return mixWord(h, load64(last));
    }
    if (n >= 4)
        return mixWord(h, (load32(p) << 32) | load32(p + n - 4));
    if (n > 0) {
        const auto byte = [&](std::size_t i) { return static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])); };
        return mixWord(h, (byte(0) << 16) | (byte(n / 2) << 8) | byte(n - 1));
    }
    return mixWord(h, 0);
}

} // namespace

std::uint64_t hashSeriesLabels(std::span<const LabelView> labels)
{
    // Names and values go into separate chains, which the CPU can compute side by side.
    std::uint64_t names = 0x2545F4914F6CDD1Dull;
    std::uint64_t values = 0x9E6C63D0676A9A99ull;
    for (const LabelView &l : labels) {
        if (l.value.empty())
            continue;
        names = mixPart(names, l.name);
        values = mixPart(values, l.value);
    }
    std::uint64_t h = names ^ std::rotl(values, 32) * kMix;
    h ^= h >> 32;
    h *= 0x94D049BB133111EBull;
    h ^= h >> 29;
    return h;
}

bool sameSeriesLabels(std::span<const LabelView> a, std::span<const LabelView> b)
{
    std::size_t i = 0;
    std::size_t j = 0;
    for (;;) {
        while (i < a.size() && a[i].value.empty())
            ++i;
        while (j < b.size() && b[j].value.empty())
            ++j;
        if (i == a.size() || j == b.size())
            return i == a.size() && j == b.size();
        if (a[i].name != b[j].name || a[i].value != b[j].value)
            return false;
        ++i;
        ++j;
    }
}

void SeriesSet::clear()
{
    // The tables themselves are cleared when tableOf() hands them out again: clearing brings a table
    // into cache, which helps only right before its name's samples are looked up.
    m_used = 0;
    m_names.clear();
    m_tableByName.clear();
}

std::size_t SeriesSet::tableOf(std::string_view name)
{
    const auto fresh = static_cast<std::uint32_t>(m_used);
    const auto known =
        m_tableByName.findOrInsert(hashKey(name), fresh, [&](std::size_t table) { return m_names[table] == name; });
    if (known)
        return *known;
    if (m_tables.size() == m_used)
        m_tables.emplace_back();
    else
        m_tables[m_used].clear();
    m_names.push_back(name);
    return m_used++;
}

} // namespace pulse::expo
