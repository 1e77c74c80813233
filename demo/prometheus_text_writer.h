// Writes the Prometheus text exposition format 0.0.4: families with # HELP and # TYPE, then samples.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace pulse::demo {

/// PrometheusTextWriter appends families and samples to one text. Callers keep each family's samples
/// together, right after its family() call, as the format requires.
class PrometheusTextWriter {
public:
    using LabelList = std::initializer_list<std::pair<std::string_view, std::string_view>>;

    /// family writes the # HELP and # TYPE lines; type is counter, gauge, histogram, summary or untyped.
    void family(std::string_view name, std::string_view type, std::string_view help);
    void sample(std::string_view name, LabelList labels, double value);
    void sample(std::string_view name, LabelList labels, std::uint64_t value);

    const std::string &text() const { return m_text; }
    std::string take() { return std::move(m_text); }

    /// formatValue renders a sample value: shortest round-trip decimal, or +Inf, -Inf, NaN.
    static std::string formatValue(double value);

private:
    void writeSeries(std::string_view name, LabelList labels);

    std::string m_text;
};

} // namespace pulse::demo
