// ExpositionReader's metric families: which family a sample belongs to, starting and ending one,
// names a family claims, clashes between families, and units (see exposition_reader.h).
#include "core/exposition/exposition_reader.h"

#include "core/exposition/detail/family_names.h"

#include <cstring>

namespace pulse {

using namespace std::string_view_literals;
using expo::claimedSuffixes;
using expo::quoted;
using expo::sampleSuffixes;

Result<void> ExpositionReader::enterFamilyOf(std::string_view sampleName)
{
    if (m_current != kNone && belongs(m_families[m_current], sampleName))
        return {};
    if (m_format == ExpositionFormat::OpenMetrics && m_current != kNone && m_families[m_current].name == sampleName) {
        // Would start a second family of the same name; say what the family's samples are called.
        const Family &family = m_families[m_current];
        std::string names;
        for (std::string_view suffix : sampleSuffixes(family.type, m_format))
            names += (names.empty() ? "" : ", ") + std::string(family.name) + std::string(suffix);
        return failHere("sample " + quoted(sampleName) + " does not fit " + std::string(toString(family.type)) + " "
                        + quoted(family.name) + "; its samples are named " + names);
    }
    if (m_format == ExpositionFormat::PrometheusText) {
        const std::size_t earlier = findTextFamily(sampleName);
        if (earlier != kNone) {
            if (auto r = endFamily(); !r)
                return r;
            m_current = earlier;
            return {};
        }
    }
    // A sample outside the current family starts an untyped family of its own name.
    if (auto r = endFamily(); !r)
        return r;
    return startFamily(sampleName);
}

Result<void> ExpositionReader::startFamily(std::string_view name)
{
    Family family;
    family.name = name;
    m_families.push_back(family);
    m_current = m_families.size() - 1;
    if (m_format == ExpositionFormat::OpenMetrics) {
        ++m_distinctFamilies; // names never repeat here: a repeat is a clash error
        return checkNameClash(m_families.back());
    }
    const std::uint64_t hash = expo::hashKey(name);
    auto sameName = [&](std::size_t index) { return m_families[index].name == name; };
    const auto index = static_cast<std::uint32_t>(m_current);
    // A text-format family may come back after another one: it is the same family, counted once.
    if (std::uint32_t *latest = m_familyByName.find(hash, sameName)) {
        *latest = index;
    } else {
        m_familyByName.findOrInsert(hash, index, sameName);
        ++m_distinctFamilies;
    }
    return {};
}

Result<void> ExpositionReader::endFamily()
{
    if (m_current == kNone)
        return {};
    const std::size_t index = m_current;
    m_current = kNone;
    m_previousFamily = kNone;
    if (m_format == ExpositionFormat::OpenMetrics) {
        if (m_families[index].hasSamples && m_limits.familyRules) {
            if (auto r = m_checker.endFamily(); !r)
                return r;
        }
        claimNames(m_families[index]);
    }
    if (!m_families[index].announced)
        announce(index);
    return {};
}

// findTextFamily looks for an earlier text-format family that owns sampleName.
std::size_t ExpositionReader::findTextFamily(std::string_view sampleName)
{
    static constexpr std::array kSuffixes = {""sv, "_bucket"sv, "_sum"sv, "_count"sv};
    for (std::string_view suffix : kSuffixes) {
        if (!sampleName.ends_with(suffix) || sampleName.size() == suffix.size())
            continue;
        const std::string_view base = sampleName.substr(0, sampleName.size() - suffix.size());
        const std::uint32_t *index =
            m_familyByName.find(expo::hashKey(base), [&](std::size_t i) { return m_families[i].name == base; });
        if (index && belongs(m_families[*index], sampleName))
            return *index;
    }
    return kNone;
}

bool ExpositionReader::belongs(const Family &family, std::string_view sampleName) const
{
    if (!sampleName.starts_with(family.name))
        return false;
    const std::string_view suffix = sampleName.substr(family.name.size());
    for (std::string_view allowed : sampleSuffixes(family.type, m_format)) {
        if (suffix == allowed)
            return true;
    }
    return false;
}

void ExpositionReader::announce(std::size_t index)
{
    Family &family = m_families[index];
    if (m_visitor->wantsHelp())
        expo::unescapeHelp(family.help, m_format, m_help);
    else
        m_help.clear();
    m_visitor->family(family.name, family.type, m_help, family.unit);
    family.announced = true;
    m_lastAnnounced = index;
}

Result<void> ExpositionReader::checkNameClash(const Family &family)
{
    for (std::string_view suffix : claimedSuffixes(family.type)) {
        m_nameScratch.assign(family.name);
        m_nameScratch.append(suffix);
        const std::string_view full = m_nameScratch;
        const std::uint32_t *claim = m_claimByName.find(expo::hashKey(full), [&](std::size_t i) {
            const NameClaim &c = m_claims[i];
            return full.size() == c.family.size() + c.suffix.size() && full.starts_with(c.family)
                   && full.ends_with(c.suffix);
        });
        if (!claim)
            continue;
        const NameClaim &owner = m_claims[*claim];
        if (owner.family == family.name) {
            return failHere("metric family " + quoted(family.name)
                            + " appears a second time; the metadata and samples of a family must be together");
        }
        return failHere("metric family " + quoted(family.name) + " clashes with the earlier family "
                        + quoted(owner.family) + ": both use the name " + quoted(full));
    }
    return {};
}

void ExpositionReader::claimNames(const Family &family)
{
    for (std::string_view suffix : claimedSuffixes(family.type)) {
        m_nameScratch.assign(family.name);
        m_nameScratch.append(suffix);
        m_claims.push_back(NameClaim{family.name, suffix});
        // checkNameClash made sure no family claimed these names before.
        m_claimByName.findOrInsert(expo::hashKey(m_nameScratch), static_cast<std::uint32_t>(m_claims.size() - 1),
                                   [](std::size_t) { return false; });
    }
}

Result<void> ExpositionReader::checkUnit(const Family &family) const
{
    if (!family.hasUnit || family.unit.empty())
        return {};
    if (family.type == MetricType::Info || family.type == MetricType::StateSet)
        return failHere(std::string(toString(family.type)) + " " + quoted(family.name) + " cannot have a unit");
    const std::string_view name = family.name;
    const std::string_view unit = family.unit;
    if (name.size() <= unit.size() + 1 || !name.ends_with(unit) || name[name.size() - unit.size() - 1] != '_') {
        return failHere("the unit " + quoted(unit) + " must end the metric name " + quoted(name) + ", as in "
                        + quoted(std::string(name) + "_" + std::string(unit)));
    }
    return {};
}

} // namespace pulse
