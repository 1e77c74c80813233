// Public face of the exposition parser: ExpositionParser, the owning parseExposition form, content-type
// negotiation and type names. The parsing itself is ExpositionReader's.
#include "core/exposition/exposition_parser.h"

#include "core/exposition/exposition_reader.h"

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
        auto [it, inserted] = m_familyIndex.try_emplace(name, m_result.families.size());
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
        // The visitor hands labels sorted and unique, so Labels adopts the vector without sorting it.
        std::vector<Label> items;
        items.reserve(count);
        for (std::size_t i = 0; i < count; ++i)
            items.push_back(Label{std::string(labels[i].name), std::string(labels[i].value)});
        m_result.samples.push_back(ParsedSample{std::string(name), Labels(std::move(items)), value, timestampMs});
    }

    /// expectBytes sizes the sample list for an input of that many bytes: a sample line rarely takes
    /// less than 64 bytes, and growing a list of a million samples step by step moves it many times.
    /// Pages of the reserve that stay unused are never touched, so they cost address space only.
    void expectBytes(std::size_t bytes) { m_result.samples.reserve(bytes / 64); }

    ParsedExposition take() { return std::move(m_result); }

private:
    ParsedExposition m_result;
    /// Keys are the names family() was given: views into the input (the reader never copies a name),
    /// which outlives the parse this collector serves.
    std::unordered_map<std::string_view, std::size_t> m_familyIndex;
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
    collector.expectBytes(text.size());
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
