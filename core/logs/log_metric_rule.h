// LogMetricRule: a user's rule that turns matching log lines into a series (a log target's
// `metrics:` list), and its compiled form. LogMetrics applies compiled rules to every record.
#pragma once

#include "core/base/error.h"

#include <QRegularExpression>

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pulse {

/// LogMetricType says what a rule does with a matching line: count it (or add its value), set the
/// gauge to its value, or observe its value in a histogram.
enum class LogMetricType { Counter, Gauge, Histogram };

std::span<const std::string_view> logMetricTypeNames();

/// LogMetricRule is one entry of a log target's `metrics:` as the config gives it.
struct LogMetricRule {
    std::string name;
    /// match is a regular expression (Perl syntax) searched for in the line.
    std::string match;
    /// value names a group of match whose number the rule uses (required for gauge and histogram;
    /// a counter without it counts lines).
    std::string value;
    LogMetricType type = LogMetricType::Counter;
    /// labels are added to the series; `$group` or `${group}` in a value is that group's text.
    std::vector<std::pair<std::string, std::string>> labels;
    /// buckets are a histogram's upper bounds (increasing); empty: Prometheus's defaults.
    std::vector<double> buckets;

    friend bool operator==(const LogMetricRule &, const LogMetricRule &) = default;
};

/// kDefaultHistogramBuckets are Prometheus's client libraries' defaults (seconds).
std::span<const double> defaultHistogramBuckets();

/// CompiledLogMetricRule is a rule ready to apply: its pattern compiled, its groups looked up.
/// Immutable; one copy per thread (QRegularExpression is reentrant).
struct CompiledLogMetricRule {
    /// LabelPart is literal text, or (group >= 0) a group's captured text.
    struct LabelPart {
        std::string text;
        int group = -1;
    };
    struct Label {
        std::string name;
        std::vector<LabelPart> parts;
    };

    LogMetricRule rule;
    QRegularExpression regex;
    int valueGroup = -1;
    std::vector<Label> labels;
    std::vector<double> buckets;
};

/// compileLogMetricRule checks a rule and compiles it. The error names the key at fault ("match:
/// invalid regular expression at offset 3: …", "value: match has no group named 'ms'").
Result<CompiledLogMetricRule> compileLogMetricRule(const LogMetricRule &rule);

} // namespace pulse
