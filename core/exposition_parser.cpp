// Public face of the exposition parser: ExpositionParser, the owning parseExposition form, content-type
// negotiation and type names. The parsing itself is ExpositionReader's.
#include "core/exposition_parser.h"

#include "core/exposition_reader.h"

#include <unordered_map>
#include <utility>

namespace pulse {

namespace {

// OwningCollector copies what the visitor hands out into a ParsedExposition.
class OwningCollector final : public ExpositionVisitor {
public:
    void family(std::string_view name, MetricType type, std::string_view help, std::string_view unit) override
    {
        // The text format may announce a family again when its samples come back; keep one entry.
        auto [it, inserted] = m_familyIndex.try_emplace(std::string(name), m_result.families.size());
        if (inserted) {
            m_result.families.push_back(MetricFamily{std::string(name), type, std::string(help), std::string(unit)});
            return;
        }
        MetricFamily &existing = m_result.families[it->second];
        existing.type = type;
        existing.help = std::string(help);
        existing.unit = std::string(unit);
    }

    void sample(std::string_view name, const LabelView *labels, std::size_t count, double value,
                std::optional<std::int64_t> timestampMs) override
    {
        Labels set;
        for (std::size_t i = 0; i < count; ++i)
            set.set(labels[i].name, labels[i].value);
        m_result.samples.push_back(ParsedSample{std::string(name), std::move(set), value, timestampMs});
    }

    ParsedExposition take() { return std::move(m_result); }

private:
    ParsedExposition m_result;
    std::unordered_map<std::string, std::size_t> m_familyIndex;
};

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

} // namespace

ExpositionParser::ExpositionParser()
    : m_reader(std::make_unique<ExpositionReader>())
{
}

ExpositionParser::~ExpositionParser() = default;
ExpositionParser::ExpositionParser(ExpositionParser &&) noexcept = default;
ExpositionParser &ExpositionParser::operator=(ExpositionParser &&) noexcept = default;

Result<ParseStats> ExpositionParser::parse(std::string_view text, ExpositionFormat format, ExpositionVisitor &visitor,
                                           const ParseLimits &limits)
{
    if (!m_reader) // moved from
        m_reader = std::make_unique<ExpositionReader>();
    return m_reader->read(text, format, visitor, limits);
}

Result<ParseStats> parseExposition(std::string_view text, ExpositionFormat format, ExpositionVisitor &visitor,
                                   const ParseLimits &limits)
{
    ExpositionParser parser;
    return parser.parse(text, format, visitor, limits);
}

Result<ParsedExposition> parseExposition(std::string_view text, ExpositionFormat format, const ParseLimits &limits)
{
    OwningCollector collector;
    auto stats = parseExposition(text, format, collector, limits);
    if (!stats)
        return std::unexpected(stats.error());
    return collector.take();
}

ExpositionFormat formatFromContentType(std::string_view contentType)
{
    std::string_view mediaType = contentType.substr(0, contentType.find(';'));
    const std::size_t first = mediaType.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return ExpositionFormat::PrometheusText;
    mediaType = mediaType.substr(first, mediaType.find_last_not_of(" \t") + 1 - first);
    return equalsIgnoringCase(mediaType, "application/openmetrics-text") ? ExpositionFormat::OpenMetrics
                                                                          : ExpositionFormat::PrometheusText;
}

std::string_view toString(MetricType type)
{
    switch (type) {
    case MetricType::Untyped: return "untyped";
    case MetricType::Counter: return "counter";
    case MetricType::Gauge: return "gauge";
    case MetricType::Histogram: return "histogram";
    case MetricType::GaugeHistogram: return "gaugehistogram";
    case MetricType::Summary: return "summary";
    case MetricType::Info: return "info";
    case MetricType::StateSet: return "stateset";
    }
    return "untyped";
}

} // namespace pulse
