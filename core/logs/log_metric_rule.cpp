// Checking and compiling a log target's metric rules.
#include "core/logs/log_metric_rule.h"

#include "core/base/labels.h"

#include <array>
#include <cmath>

namespace pulse {
namespace {

constexpr std::array<std::string_view, 3> kTypeNames{"counter", "gauge", "histogram"};
// The series LogMetrics makes of every log target (and their histogram suffixes).
constexpr std::array<std::string_view, 6> kBuiltinNames{"log_lines_total",
                                                        "http_requests_total",
                                                        "http_response_bytes_total",
                                                        "log_suspicious_requests_total",
                                                        "http_request_duration_seconds",
                                                        "log_metric_series_dropped_total"};
constexpr std::array<double, 11> kDefaultBuckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

bool isNameChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// parseTemplate splits "$status-${method}x" into literal and group parts.
Result<std::vector<CompiledLogMetricRule::LabelPart>> parseTemplate(std::string_view text, const QRegularExpression &re,
                                                                    const std::string &where)
{
    const QStringList groups = re.namedCaptureGroups();
    std::vector<CompiledLogMetricRule::LabelPart> parts;
    std::string literal;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] != '$' || i + 1 >= text.size()) {
            literal += text[i++];
            continue;
        }
        if (text[i + 1] == '$') { // "$$" is a dollar sign
            literal += '$';
            i += 2;
            continue;
        }
        const bool braced = text[i + 1] == '{';
        std::size_t start = i + (braced ? 2 : 1);
        std::size_t end = start;
        while (end < text.size() && isNameChar(text[end]))
            ++end;
        if (end == start || (braced && (end >= text.size() || text[end] != '}'))) {
            literal += text[i++];
            continue;
        }
        const std::string name(text.substr(start, end - start));
        const qsizetype group = groups.indexOf(QString::fromStdString(name));
        if (group <= 0) {
            std::string message = where;
            message.append(": $").append(name).append(" names no group of match");
            return fail(std::move(message));
        }
        if (!literal.empty())
            parts.push_back({std::move(literal), -1});
        literal.clear();
        parts.push_back({{}, int(group)});
        i = end + (braced ? 1 : 0);
    }
    if (!literal.empty() || parts.empty())
        parts.push_back({std::move(literal), -1});
    return parts;
}

} // namespace

std::span<const std::string_view> logMetricTypeNames()
{
    return kTypeNames;
}

std::span<const double> defaultHistogramBuckets()
{
    return kDefaultBuckets;
}

Result<CompiledLogMetricRule> compileLogMetricRule(const LogMetricRule &rule)
{
    CompiledLogMetricRule out;
    out.rule = rule;
    if (!isValidMetricName(rule.name))
        return fail("name: '" + rule.name + "' is not a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
    for (const std::string_view builtin : kBuiltinNames) {
        if (rule.name.starts_with(builtin))
            return fail("name: '" + rule.name + "' is a series every log target has already (docs/logs.md)");
    }
    if (rule.match.empty())
        return fail("match: a regular expression is required");
    out.regex = QRegularExpression(QString::fromStdString(rule.match));
    if (!out.regex.isValid()) {
        return fail("match: invalid regular expression at offset " + std::to_string(out.regex.patternErrorOffset()) +
                    ": " + out.regex.errorString().toStdString());
    }
    if (!rule.value.empty()) {
        const qsizetype group = out.regex.namedCaptureGroups().indexOf(QString::fromStdString(rule.value));
        if (group <= 0)
            return fail("value: match has no group named '" + rule.value + "'");
        out.valueGroup = int(group);
    } else if (rule.type != LogMetricType::Counter) {
        return fail("value: a " + std::string(kTypeNames[std::size_t(rule.type)]) +
                    " needs the group whose number it takes");
    }
    for (const auto &[name, text] : rule.labels) {
        const std::string where = "labels." + name;
        if (!isValidLabelName(name) || name.starts_with("__"))
            return fail(where + ": not a label name");
        if (name == "target" || (name == "le" && rule.type == LogMetricType::Histogram))
            return fail(where + ": Pulseboard sets this label");
        auto parts = parseTemplate(text, out.regex, where);
        if (!parts)
            return std::unexpected(parts.error());
        out.labels.push_back({name, std::move(*parts)});
    }
    if (rule.type == LogMetricType::Histogram) {
        if (rule.buckets.empty())
            out.buckets.assign(kDefaultBuckets.begin(), kDefaultBuckets.end());
        else
            out.buckets = rule.buckets;
        for (std::size_t i = 0; i < out.buckets.size(); ++i) {
            if (!std::isfinite(out.buckets[i]) || (i > 0 && out.buckets[i] <= out.buckets[i - 1]))
                return fail("buckets: upper bounds must be finite and increasing");
        }
    } else if (!rule.buckets.empty()) {
        return fail("buckets: only a histogram has buckets");
    }
    out.regex.optimize();
    return out;
}

} // namespace pulse
