// Prometheus text format 0.0.4 output for the demo service's /metrics.
#include "demo/prometheus_text_writer.h"

#include "core/base/labels.h"

#include <charconv>
#include <cmath>

namespace pulse::demo {

void PrometheusTextWriter::family(std::string_view name, std::string_view type, std::string_view help)
{
    m_text += "# HELP ";
    m_text += name;
    m_text += ' ';
    // HELP text escapes only backslash and line feed (quotes stay as they are).
    for (char c : help) {
        if (c == '\\')
            m_text += "\\\\";
        else if (c == '\n')
            m_text += "\\n";
        else
            m_text += c;
    }
    m_text += "\n# TYPE ";
    m_text += name;
    m_text += ' ';
    m_text += type;
    m_text += '\n';
}

void PrometheusTextWriter::writeSeries(std::string_view name, LabelList labels)
{
    m_text += name;
    if (labels.size() == 0)
        return;
    m_text += '{';
    bool first = true;
    for (const auto &[labelName, labelValue] : labels) {
        if (!first)
            m_text += ',';
        first = false;
        m_text += labelName;
        m_text += "=\"";
        m_text += escapeLabelValue(labelValue);
        m_text += '"';
    }
    m_text += '}';
}

void PrometheusTextWriter::sample(std::string_view name, LabelList labels, double value)
{
    writeSeries(name, labels);
    m_text += ' ';
    m_text += formatValue(value);
    m_text += '\n';
}

void PrometheusTextWriter::sample(std::string_view name, LabelList labels, std::uint64_t value)
{
    writeSeries(name, labels);
    m_text += ' ';
    m_text += std::to_string(value);
    m_text += '\n';
}

std::string PrometheusTextWriter::formatValue(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

} // namespace pulse::demo
