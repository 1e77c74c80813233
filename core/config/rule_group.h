// Rule groups as Prometheus's rule files describe them: alerting and recording rules run in order.
#pragma once

#include "core/alerting/alert_rule_config.h"
#include "core/base/duration.h"
#include "core/base/error.h"
#include "core/base/labels.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace pulse {

/// RecordingRuleConfig is `record:` — the expression's result stored as series of that name.
struct RecordingRuleConfig {
    std::string record;
    std::string expr;
    Labels labels;
    /// interval is the rule group's `interval:` (0: every evaluation), as AlertRuleConfig's.
    Duration interval{0};
};

using RuleConfig = std::variant<AlertRuleConfig, RecordingRuleConfig>;

/// RuleGroupConfig is one `groups:` entry; its rules run in order, each seeing the ones before.
struct RuleGroupConfig {
    std::string file;
    std::string name;
    std::optional<Duration> interval; ///< unset: the evaluation interval of whoever runs it
    std::uint64_t limit = 0;          ///< 0: none (an alert rule's own limit otherwise)
    std::vector<RuleConfig> rules;
};

namespace promql {
class Engine;
}

/// RecordedSeries is one evaluation of a recording rule: samples to write under rule.record (the
/// rule's labels applied), and series it returned last time but not now, to end with a staleness
/// marker as Prometheus's rule manager does.
struct RecordedSeries {
    std::vector<std::pair<Labels, double>> samples;
    std::vector<Labels> ended;
};

/// evaluateRecordingRule runs rule at atMs. lastWritten is the rule's series of its previous
/// evaluation, updated; on an error (a failed query, a result that is not a vector or scalar)
/// nothing is written or ended and lastWritten stays.
Result<RecordedSeries> evaluateRecordingRule(const RecordingRuleConfig &rule, const promql::Engine &engine,
                                             std::int64_t atMs, std::vector<Labels> &lastWritten);

} // namespace pulse
