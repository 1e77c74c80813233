// SamplePrinter: JSON escaping and number formatting for sample lines.
#include "app/pulsectl/sample_printer.h"

#include "app/pulsectl/command.h"
#include "core/base/text_encoding.h"

#include <charconv>
#include <cmath>
#include <ostream>

namespace pulse::cli {

namespace {

void appendJsonNumber(std::string &out, double value)
{
    if (std::isnan(value)) {
        out += "\"NaN\"";
        return;
    }
    if (std::isinf(value)) {
        out += value > 0 ? "\"+Inf\"" : "\"-Inf\"";
        return;
    }
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

} // namespace

void SamplePrinter::sample(std::string_view name, const LabelView *labels, std::size_t count, double value,
                           std::optional<std::int64_t> timestampMs)
{
    m_out += "{\"name\":";
    appendJsonString(m_out, name);
    m_out += ",\"labels\":{";
    for (std::size_t i = 0; i < count; ++i) {
        if (i > 0)
            m_out += ',';
        appendJsonString(m_out, labels[i].name);
        m_out += ':';
        appendJsonString(m_out, labels[i].value);
    }
    m_out += "},\"value\":";
    appendJsonNumber(m_out, value);
    if (timestampMs) {
        m_out += ",\"timestamp_ms\":";
        m_out += std::to_string(*timestampMs);
    }
    m_out += "}\n";
}

int printExposition(std::string_view text, ExpositionFormat format, const ParseLimits &limits, bool count,
                    std::string_view errorPrefix, std::ostream &out, std::ostream &err)
{
    std::string rendered;
    SamplePrinter printer(rendered);
    SampleCounter counter;
    ExpositionVisitor &visitor = count ? static_cast<ExpositionVisitor &>(counter) : printer;
    // As a scrape does: a repeated series keeps its first sample, counted, rather than failing.
    ParseLimits scrapeLimits = limits;
    scrapeLimits.duplicates = DuplicateSeries::KeepFirst;
    const auto stats = parseExposition(text, format, visitor, scrapeLimits);
    if (!stats) {
        err << errorPrefix << ": " << stats.error().message << '\n';
        return kExitFailed;
    }
    std::string duplicates;
    if (stats->duplicates != 0)
        duplicates = std::to_string(stats->duplicates) + " duplicate samples (a series repeated without a timestamp; "
                     "the first of each kept), the first on line " + std::to_string(stats->firstDuplicateLine) + "\n";
    if (count) {
        out << stats->samples << " samples, " << stats->families << " families\n" << duplicates;
    } else {
        out << rendered;
        if (!duplicates.empty())
            err << errorPrefix << ": " << duplicates;
    }
    out.flush();
    return out ? kExitOk : kExitFailed;
}

} // namespace pulse::cli
