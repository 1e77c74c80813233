// ExpositionReader: the line loop, metric families, duplicate series and limits (see exposition_reader.h).
#include "core/exposition/exposition_reader.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <span>

namespace pulse {

namespace {

using namespace std::string_view_literals;

// The sample names a family of each type owns, as suffixes of the family name.
std::span<const std::string_view> sampleSuffixes(MetricType type, ExpositionFormat format)
{
    static constexpr std::array kBare = {""sv};
    static constexpr std::array kOmCounter = {"_total"sv, "_created"sv};
    static constexpr std::array kOmSummary = {""sv, "_count"sv, "_sum"sv, "_created"sv};
    static constexpr std::array kOmHistogram = {"_bucket"sv, "_count"sv, "_sum"sv, "_created"sv};
    static constexpr std::array kOmGaugeHistogram = {"_bucket"sv, "_gcount"sv, "_gsum"sv};
    static constexpr std::array kOmInfo = {"_info"sv};
    static constexpr std::array kTextSummary = {""sv, "_sum"sv, "_count"sv};
    static constexpr std::array kTextHistogram = {"_bucket"sv, "_sum"sv, "_count"sv};
    if (format == ExpositionFormat::PrometheusText) {
        if (type == MetricType::Summary)
            return kTextSummary;
        if (type == MetricType::Histogram)
            return kTextHistogram;
        return kBare;
    }
    switch (type) {
    case MetricType::Counter: return kOmCounter;
    case MetricType::Summary: return kOmSummary;
    case MetricType::Histogram: return kOmHistogram;
    case MetricType::GaugeHistogram: return kOmGaugeHistogram;
    case MetricType::Info: return kOmInfo;
    default: return kBare;
    }
}

// The names an OpenMetrics family claims: its sample names and its bare name, as the reference parser does.
std::span<const std::string_view> claimedSuffixes(MetricType type)
{
    static constexpr std::array kCounter = {""sv, "_total"sv, "_created"sv};
    static constexpr std::array kHistogram = {""sv, "_bucket"sv, "_count"sv, "_sum"sv, "_created"sv};
    static constexpr std::array kGaugeHistogram = {""sv, "_bucket"sv, "_gcount"sv, "_gsum"sv};
    static constexpr std::array kInfo = {""sv, "_info"sv};
    switch (type) {
    case MetricType::Counter: return kCounter;
    case MetricType::Histogram: return kHistogram;
    case MetricType::GaugeHistogram: return kGaugeHistogram;
    case MetricType::Info: return kInfo;
    default: return sampleSuffixes(type, ExpositionFormat::OpenMetrics);
    }
}

std::optional<MetricType> parseType(std::string_view text, ExpositionFormat format)
{
    if (text == "counter")
        return MetricType::Counter;
    if (text == "gauge")
        return MetricType::Gauge;
    if (text == "histogram")
        return MetricType::Histogram;
    if (text == "summary")
        return MetricType::Summary;
    if (format == ExpositionFormat::PrometheusText)
        return text == "untyped" ? std::optional(MetricType::Untyped) : std::nullopt;
    if (text == "gaugehistogram")
        return MetricType::GaugeHistogram;
    if (text == "info")
        return MetricType::Info;
    if (text == "stateset")
        return MetricType::StateSet;
    if (text == "unknown")
        return MetricType::Untyped;
    return std::nullopt;
}

std::string_view kindName(expo::MetadataKind kind)
{
    switch (kind) {
    case expo::MetadataKind::Help: return "HELP";
    case expo::MetadataKind::Type: return "TYPE";
    case expo::MetadataKind::Unit: return "UNIT";
    }
    return {};
}

std::string quoted(std::string_view s)
{
    // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, a false positive) about "\"" + string.
    std::string out = "\"";
    out += s;
    out += '"';
    return out;
}

} // namespace

Result<ParseStats> ExpositionReader::read(std::string_view text, ExpositionFormat format, ExpositionVisitor &visitor,
                                          const ParseLimits &limits)
{
    reset(text, format, visitor, limits);
    // Line offsets are kept in 32 bits (see HashIndex).
    if (text.size() > std::numeric_limits<std::uint32_t>::max())
        return expo::failAt(1, "the exposition is larger than 4 GiB");
    std::size_t pos = 0;
    while (pos < text.size()) {
        const void *newline = std::memchr(text.data() + pos, '\n', text.size() - pos);
        const std::size_t end = newline ? static_cast<std::size_t>(static_cast<const char *>(newline) - text.data())
                                        : text.size();
        ++m_lineNumber;
        if (auto r = readLine(text.substr(pos, end - pos), pos); !r)
            return std::unexpected(r.error());
        pos = end + 1;
    }
    if (format == ExpositionFormat::OpenMetrics && !m_sawEof)
        return expo::failAt(m_lineNumber + 1, "missing \"# EOF\"; an OpenMetrics exposition must end with it");
    if (auto r = endFamily(); !r)
        return std::unexpected(r.error());
    m_stats.families = m_distinctFamilies;
    return m_stats;
}

void ExpositionReader::reset(std::string_view text, ExpositionFormat format, ExpositionVisitor &visitor,
                             const ParseLimits &limits)
{
    m_text = text;
    m_format = format;
    m_visitor = &visitor;
    m_limits = limits;
    m_stats = ParseStats{};
    m_lineNumber = 0;
    m_sawEof = false;
    m_families.clear();
    m_distinctFamilies = 0;
    m_current = kNone;
    m_lastAnnounced = kNone;
    m_familyByName.clear();
    m_claims.clear();
    m_claimByName.clear();
    m_series.clear();
    m_previousName = {};
    m_previousFamily = kNone;
    m_checker.reset(text);
}

Result<void> ExpositionReader::readLine(std::string_view line, std::size_t lineStart)
{
    if (m_format == ExpositionFormat::OpenMetrics) {
        if (m_sawEof)
            return failHere("nothing may follow \"# EOF\"");
        if (line.empty())
            return failHere("blank lines are not allowed in OpenMetrics");
        if (line[0] != '#')
            return readSample(line, lineStart);
        if (line == "# EOF") {
            m_sawEof = true;
            return endFamily();
        }
        return readComment(line);
    }
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    if (line[first] == '#')
        return readComment(line.substr(first));
    return readSample(line, lineStart);
}

Result<void> ExpositionReader::readComment(std::string_view line)
{
    auto meta = expo::lexCommentLine(line, m_format);
    if (!meta)
        return failHere(meta.error().message);
    if (!*meta)
        return {};
    return readMetadata(**meta);
}

Result<void> ExpositionReader::readMetadata(const expo::MetadataLine &meta)
{
    m_previousFamily = kNone;
    const bool openMetrics = m_format == ExpositionFormat::OpenMetrics;
    bool sameFamily = m_current != kNone && m_families[m_current].name == meta.name;
    if (sameFamily && m_families[m_current].hasSamples) {
        if (openMetrics) {
            return failHere(std::string(kindName(meta.kind)) + " for " + quoted(meta.name)
                            + " comes after its samples; metadata must come before a family's samples");
        }
        sameFamily = false; // the text format lets a family be declared again
    }
    if (sameFamily && openMetrics) {
        const Family &family = m_families[m_current];
        const bool repeated = (meta.kind == expo::MetadataKind::Help && family.hasHelp)
                              || (meta.kind == expo::MetadataKind::Type && family.hasType)
                              || (meta.kind == expo::MetadataKind::Unit && family.hasUnit);
        if (repeated)
            return failHere("a second " + std::string(kindName(meta.kind)) + " line for " + quoted(meta.name));
    }
    if (!sameFamily) {
        if (auto r = endFamily(); !r)
            return r;
        if (auto r = startFamily(meta.name); !r)
            return r;
    }
    Family &family = m_families[m_current];
    switch (meta.kind) {
    case expo::MetadataKind::Help:
        family.help = meta.text;
        family.hasHelp = true;
        break;
    case expo::MetadataKind::Type: {
        const auto type = parseType(meta.text, m_format);
        if (!type) {
            return failHere("unknown metric type " + expo::quoteForMessage(meta.text) + " for " + quoted(meta.name)
                            + (openMetrics ? "; expected counter, gauge, histogram, gaugehistogram, summary, info, "
                                             "stateset or unknown"
                                           : "; expected counter, gauge, histogram, summary or untyped"));
        }
        family.type = *type;
        family.hasType = true;
        if (openMetrics) {
            if (auto r = checkNameClash(family); !r)
                return r;
        }
        break;
    }
    case expo::MetadataKind::Unit:
        family.unit = meta.text;
        family.hasUnit = true;
        break;
    }
    return openMetrics ? checkUnit(family) : Result<void>{};
}

Result<void> ExpositionReader::readSample(std::string_view line, std::size_t lineStart)
{
    if (auto r = expo::lexSampleLine(line, m_format, m_scratch, m_sample, m_previousName); !r)
        return failHere(r.error().message);
    if (!m_sample.repeatsName)
        m_seriesTable = m_series.tableOf(m_sample.name);
    m_previousName = m_sample.name;
    // A name that repeats the previous sample's, with no metadata in between, is in the same family.
    if (!m_sample.repeatsName || m_previousFamily != m_current || m_current == kNone) {
        if (auto r = enterFamilyOf(m_sample.name); !r)
            return r;
    }
    m_previousFamily = m_current;
    Family &family = m_families[m_current];
    const bool familyRules = m_format == ExpositionFormat::OpenMetrics && m_limits.familyRules;
    if (!family.hasSamples) {
        family.hasSamples = true;
        if (familyRules)
            m_checker.beginFamily(family.name, family.type);
    }
    if (m_lastAnnounced != m_current)
        announce(m_current);
    if (familyRules) {
        if (auto r = m_checker.checkSample(m_sample, lineStart, m_lineNumber); !r)
            return r;
    }
    const auto repeated = checkDuplicate(lineStart);
    if (!repeated)
        return std::unexpected(repeated.error());
    if (auto r = checkLimits(); !r)
        return r;
    if (*repeated) {
        ++m_stats.samples;
        if (m_stats.duplicates++ == 0)
            m_stats.firstDuplicateLine = m_lineNumber;
        return {};
    }

    const std::optional<std::int64_t> timestamp =
        m_sample.hasTimestamp ? std::optional(m_sample.timestampMs) : std::nullopt;
    m_visitor->sample(m_sample.name, m_sample.labels.data(), m_sample.labels.size(), m_sample.value, timestamp);
    ++m_stats.samples;
    if (m_sample.hasExemplar) {
        const std::optional<std::int64_t> exemplarTimestamp =
            m_sample.exemplarHasTimestamp ? std::optional(m_sample.exemplarTimestampMs) : std::nullopt;
        m_visitor->exemplar(m_sample.exemplarLabels.data(), m_sample.exemplarLabels.size(), m_sample.exemplarValue,
                            exemplarTimestamp);
        ++m_stats.exemplars;
    }
    return {};
}

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

// A series may appear more than once only when every occurrence has its own timestamp (OpenMetrics
// allows several points of a series that way; ordering is the checker's business). Otherwise the
// repeat fails the parse, or with DuplicateSeries::KeepFirst is reported (true) to be skipped.
Result<bool> ExpositionReader::checkDuplicate(std::size_t lineStart)
{
    if (m_sample.hasTimestamp)
        return false;
    auto sameSeries = [&](std::size_t earlier) {
        std::size_t end = m_text.find('\n', earlier);
        if (end == std::string_view::npos)
            end = m_text.size();
        if (!expo::lexSampleLine(m_text.substr(earlier, end - earlier), m_format, m_verifyScratch, m_verifyLine))
            return false;
        return m_verifyLine.name == m_sample.name && expo::sameSeriesLabels(m_verifyLine.labels, m_sample.labels);
    };
    const auto first = m_series.insert(m_seriesTable, m_sample.labels, static_cast<std::uint32_t>(lineStart), sameSeries);
    if (first && m_limits.duplicates == DuplicateSeries::KeepFirst)
        return true;
    if (first) {
        return failHere("duplicate series " + expo::renderSeries(m_sample.name, m_sample.labels)
                        + "; it first appeared on line " + std::to_string(expo::lineNumberAt(m_text, *first)));
    }
    return false;
}

Result<void> ExpositionReader::checkLimits() const
{
    if (m_limits.labelLimit != 0 && m_sample.labels.size() > m_limits.labelLimit) {
        return failHere(expo::renderSeries(m_sample.name, m_sample.labels) + " has "
                        + std::to_string(m_sample.labels.size()) + " labels, more than the label limit of "
                        + std::to_string(m_limits.labelLimit));
    }
    if (m_limits.sampleLimit != 0 && m_stats.samples >= m_limits.sampleLimit)
        return failHere("more samples than the sample limit of " + std::to_string(m_limits.sampleLimit));
    if (m_limits.labelNameLengthLimit == 0 && m_limits.labelValueLengthLimit == 0)
        return {};
    for (const LabelView &label : m_sample.labels) {
        // The series is not rendered whole here: the offending part may be megabytes long.
        if (m_limits.labelNameLengthLimit != 0 && label.name.size() > m_limits.labelNameLengthLimit) {
            return failHere("label name " + expo::quoteForMessage(label.name) + " of "
                            + expo::quoteForMessage(m_sample.name) + " is " + std::to_string(label.name.size())
                            + " bytes long, more than the label name length limit of "
                            + std::to_string(m_limits.labelNameLengthLimit));
        }
        if (m_limits.labelValueLengthLimit != 0 && label.value.size() > m_limits.labelValueLengthLimit) {
            return failHere("the value of label " + expo::quoteForMessage(label.name) + " of "
                            + expo::quoteForMessage(m_sample.name) + " is " + std::to_string(label.value.size())
                            + " bytes long, more than the label value length limit of "
                            + std::to_string(m_limits.labelValueLengthLimit));
        }
    }
    return {};
}

std::unexpected<Error> ExpositionReader::failHere(std::string_view message) const
{
    return expo::failAt(m_lineNumber, message);
}

} // namespace pulse
