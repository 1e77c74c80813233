// Rule groups as Prometheus's rule files describe them: alerting and recording rules run in order.
#pragma once

#include "core/alerting/alert_rule_config.h"
#include "core/base/duration.h"
#include "core/base/labels.h"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace pulse {

/// RecordingRuleConfig is `record:` — the expression's result stored as series of that name.
struct RecordingRuleConfig {
    std::string record;
    std::string expr;
    Labels labels;
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

} // namespace pulse
