// ExpositionReader: the line loop, metadata, samples, duplicate series and limits (see exposition_reader.h;
// metric families: exposition_families.cpp).
#include "core/exposition/exposition_reader.h"

#include "core/exposition/detail/family_names.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <span>

namespace pulse {

using expo::quoted;

namespace {

using namespace std::string_view_literals;

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
