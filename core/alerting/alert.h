// Alert values: what the rule engine reports about one alert instance, and the transitions between
// its states. Plain values: they cross from the query thread to the GUI by queued signal.
#pragma once

#include "core/base/key_value_list.h"
#include "core/base/labels.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pulse {

/// AlertState follows Prometheus: an expression result first makes an alert Pending; after `for:` it
/// is Firing; when the result is gone (and `keep_firing_for:` has passed) it is Inactive (resolved).
///
///              result present                 held for `for:`
///   (none) ───────────────────> Pending ───────────────────────> Firing
///                                  │ result gone                    │ result gone for
///                                  v                                v `keep_firing_for:`
///                               (deleted)                     Inactive (resolved, kept 15 min)
enum class AlertState { Inactive, Pending, Firing };

/// alertStateName spells a state as Prometheus's API and the ALERTS series do: "inactive",
/// "pending", "firing".
std::string_view alertStateName(AlertState state);

/// Alert is one instance of one rule: the rule's name plus one label set its expression returned.
struct Alert {
    std::string rule;         ///< the rule's name (also the `alertname` label)
    std::string severity;     ///< the rule's `severity:` (also a label when set)
    Labels labels;            ///< the result's labels without __name__, the rule's labels, alertname
    KeyValueList annotations; ///< the rule's annotations with templates expanded
    AlertState state = AlertState::Inactive;
    double value = 0;               ///< the expression's value at the last evaluation that returned it
    std::int64_t activeAtMs = 0;    ///< when the expression first returned this label set
    std::int64_t firedAtMs = 0;     ///< when it became Firing (0: never)
    std::int64_t resolvedAtMs = 0;  ///< when it became Inactive (0: still active)
    std::int64_t keepFiringSinceMs = 0; ///< when the result vanished while Firing (keep_firing_for)
    std::uint64_t silencedBy = 0;       ///< the id of an active silence that matches (0: none)
    bool acknowledged = false;          ///< someone said they are on it (until it resolves)

    /// key identifies the instance across evaluations: the rule name and the label set.
    std::string key() const;
};

/// AlertTransition is one change of state, for the alert history and notifications.
struct AlertTransition {
    Alert alert; ///< the alert as it is after the change
    AlertState from = AlertState::Inactive;
    std::int64_t atMs = 0;
};

/// RuleHealth is how a rule's last evaluation went (Prometheus's "health" and "lastError").
struct RuleHealth {
    std::string rule;
    std::string error; ///< empty when the last evaluation succeeded; untrusted text
    std::int64_t lastEvaluationMs = 0;
    std::int64_t evaluationNs = 0; ///< how long the last evaluation took
};

} // namespace pulse
