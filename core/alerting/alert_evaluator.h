// AlertEvaluator: every alerting rule of the config, evaluated together at one time, and the
// ALERTS / ALERTS_FOR_STATE series Prometheus writes for them (so alert history is queryable).
#pragma once

#include "core/alerting/alert_rule.h"
#include "core/base/metric_batch.h"

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace pulse {

/// AlertEvaluation is one evaluation's outcome, a value for the GUI and the store.
struct AlertEvaluation {
    std::int64_t atMs = 0;
    std::vector<Alert> alerts;                ///< pending, firing and recently resolved, by rule
    std::vector<AlertTransition> transitions; ///< what changed at this evaluation
    std::vector<RuleHealth> health;           ///< one per rule, in config order
    /// series: `ALERTS{alertname, alertstate, ...} 1` per pending/firing instance,
    /// `ALERTS_FOR_STATE{...} <activeAt seconds>`, and staleness markers for instances that ended.
    MetricBatch series;
};

/// AlertEvaluator owns the rules' state. Not thread-safe: one thread (the query thread) owns it.
class AlertEvaluator {
public:
    /// create compiles every rule; the first bad rule fails it with "alerts[i] NAME: message".
    static Result<AlertEvaluator> create(std::span<const AlertRuleConfig> rules);

    /// evaluate runs every rule that is due at nowMs (its group's interval since it last ran; every
    /// rule without one) over one engine. A rule not due keeps its alerts as they were and writes no
    /// ALERTS samples (its last ones stay current: no staleness marker ends them), as a Prometheus
    /// group between its evaluations.
    AlertEvaluation evaluate(const promql::Engine &engine, std::int64_t nowMs);

    /// ReaderFor picks a history that holds data from startMs on (memory for recent data, the
    /// store for longer ranges).
    using ReaderFor = std::function<const HistoryReader &(std::int64_t startMs)>;
    /// evaluate runs every rule over the history that covers what that rule reads.
    AlertEvaluation evaluate(const ReaderFor &readerFor, std::int64_t nowMs);

    const std::vector<AlertRule> &rules() const { return m_rules; }

    /// restore reads ALERTS_FOR_STATE at nowMs (what a previous run wrote) so pending and firing
    /// alerts keep their start times across a restart, as Prometheus's `for` state restoration does.
    void restore(const promql::Engine &engine, std::int64_t nowMs);

private:
    AlertEvaluation evaluateWith(const std::function<std::vector<AlertTransition>(AlertRule &)> &run,
                                 std::int64_t nowMs);

    std::vector<AlertRule> m_rules;
    /// m_lastSeries: per rule, the ALERTS series written at its previous evaluation, to end the
    /// ones that are gone with staleness markers.
    std::vector<std::vector<Sample>> m_lastSeries;
    /// m_lastRunMs: per rule, when it last ran (INT64_MIN: never).
    std::vector<std::int64_t> m_lastRunMs;
};

} // namespace pulse
