// AlertRuleConfig: one alerting rule as the config file describes it — plain data; AlertRule compiles it.
#pragma once

#include "core/base/duration.h"
#include "core/base/key_value_list.h"
#include "core/base/labels.h"

#include <cstdint>
#include <memory>
#include <string>

namespace pulse {

struct CompiledAlertRule; // alert_rule.h

/// AlertRuleConfig is one alerting rule; `expr` is PromQL, parsed by the rules engine, not here.
struct AlertRuleConfig {
    std::string name;
    std::string expr;
    Duration forDuration{0};   ///< `for:` — how long expr must hold before the alert fires
    Duration keepFiringFor{0}; ///< how long a firing alert stays firing after expr stops holding
    std::string severity;
    Labels labels;
    KeyValueList annotations;
    /// limit: the most instances (pending or firing) one evaluation may produce, 0 = no limit (the
    /// `limit` of a Prometheus rule group). Over it the evaluation fails like a failed query: the
    /// rule's health names the limit and its alerts stay as they were. A rule matching every series
    /// of a churning metric would otherwise grow the alerts dock, ALERTS and notifications unbounded.
    std::uint64_t limit = kDefaultInstanceLimit;
    static constexpr std::uint64_t kDefaultInstanceLimit = 1'000;
    /// interval is the rule group's `interval:` (0: evaluated at every evaluation of whoever runs
    /// it). A rule is evaluated at the first evaluation at least this long after its last.
    Duration interval{0};
    /// compiled is this rule compiled by whoever loaded the config, shared by every copy of it, so
    /// the rules engine and the charts' alert links do not compile it again. A cache, not part of the
    /// description: AlertRule::compile uses it only when it was made from this very expr, labels and
    /// annotations.
    std::shared_ptr<const CompiledAlertRule> compiled;
};

} // namespace pulse
