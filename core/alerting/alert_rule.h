// AlertRule: one alerting rule — its compiled expression and annotation templates, and the state
// machine (see core/alerting/alert.h) of every instance its expression returns.
#pragma once

#include "core/alerting/alert.h"
#include "core/alerting/alert_rule_config.h"
#include "core/alerting/alert_template.h"
#include "core/base/error.h"
#include "core/promql/ast.h"
#include "core/promql/prepared_query.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pulse {

namespace promql {
class Engine;
}

/// RuleThreshold is what a rule of the form `<expr> <comparison> <number>` compares against, so
/// charts of `<expr>` can draw the line where the alert starts.
struct RuleThreshold {
    std::string expr; ///< the vector side's text, exactly as written in the rule
    promql::BinOp op = promql::BinOp::Gtr; ///< as if written `expr op value` (`5 < x` is `x > 5`)
    double value = 0;
};

/// CompiledAlertRule is what compiling a rule yields: its prepared query and templates, and what
/// charts plan with. Immutable once made, so one may serve several AlertRules and threads.
struct CompiledAlertRule {
    // What it was compiled from (AlertRule::compile reuses it only for the same).
    std::string expr;
    Labels labels;
    KeyValueList annotations;

    promql::PreparedQuery query;
    std::vector<std::pair<std::string, AlertTemplate>> labelTemplates;
    std::vector<std::pair<std::string, AlertTemplate>> annotationTemplates;
    std::optional<RuleThreshold> threshold;
    std::int64_t dataSpanMs = 0;

    bool compiledFrom(const AlertRuleConfig &config) const
    {
        return expr == config.expr && labels == config.labels && annotations == config.annotations;
    }
};

/// AlertRule is not thread-safe: one evaluator owns it and evaluates it on one thread.
class AlertRule {
public:
    /// kResolvedRetentionMs: how long a resolved alert stays listed (Prometheus keeps it 15 min).
    static constexpr std::int64_t kResolvedRetentionMs = 15 * 60 * 1000;

    /// compile checks the expression (it must yield an instant vector or a scalar) and the
    /// annotation and label templates. Errors name the part: "expr: col 12: ...",
    /// "annotations.summary: col 3: ...".
    static Result<AlertRule> compile(const AlertRuleConfig &config);
    /// precompile is compile's work without the instance state: what a config loader keeps in
    /// AlertRuleConfig::compiled so that compile() does not repeat it.
    static Result<std::shared_ptr<const CompiledAlertRule>> precompile(const AlertRuleConfig &config);
    /// compilations counts precompile's work done in this process (tests: a rule compiles once).
    static std::uint64_t compilations();

    /// evaluate runs the expression at nowMs and advances every instance; it returns the state
    /// changes it made. A failed query changes nothing and is reported by health().
    std::vector<AlertTransition> evaluate(const promql::Engine &engine, std::int64_t nowMs);

    /// alerts lists the instances that are pending, firing, or resolved within the last 15 minutes.
    const std::vector<Alert> &alerts() const { return m_alerts; }
    const RuleHealth &health() const { return m_health; }
    const AlertRuleConfig &config() const { return m_config; }
    const std::optional<RuleThreshold> &threshold() const { return m_compiled->threshold; }
    /// metricNames lists the metric names the expression selects (for "which charts show this rule").
    const std::vector<std::string> &metricNames() const { return m_compiled->query.metricNames(); }
    /// dataSpanMs is how far back the expression reads (so callers can pick a history that has it).
    std::int64_t dataSpanMs() const { return m_compiled->dataSpanMs; }

    /// restoreActiveAt gives a pending or firing instance (identified by Alert::key()) the start
    /// time it had before a restart, read back from ALERTS_FOR_STATE, so `for:` keeps counting.
    void restoreActiveAt(const std::string &key, std::int64_t activeAtMs);

private:
    struct Returned;
    /// collect runs the query and labels what it returned; an error (failed query, over the limit,
    /// duplicate label sets) is what health() shows, and changes no instance.
    Result<std::vector<Returned>> collect(const promql::Engine &engine, std::int64_t nowMs) const;
    /// advance moves every instance one evaluation on, recording each state change.
    void advance(std::vector<Returned> &returned, std::int64_t nowMs, std::vector<AlertTransition> &transitions);
    /// startInstance makes a pending instance of a newly returned element (its `for:` start restored
    /// from before a restart when restoreActiveAt knew it).
    Alert startInstance(Returned &r, std::int64_t nowMs, std::vector<AlertTransition> &transitions) const;
    /// settleMissing decides what becomes of an instance the query no longer returns: kept firing for
    /// keep_firing_for, dropped when it never fired, resolved (and listed 15 minutes) when it had.
    void settleMissing(Alert &alert, std::int64_t nowMs, std::vector<Alert> &next,
                       std::vector<AlertTransition> &transitions) const;
    /// instanceLabels builds an instance's labels: the result's, then the rule's, then alertname.
    Labels instanceLabels(const Labels &resultLabels, double value) const;
    void updateInstance(Alert &alert, const Labels &resultLabels, double value) const;

    AlertRuleConfig m_config;
    std::shared_ptr<const CompiledAlertRule> m_compiled; ///< set by compile: parsed once, evaluated every interval
    std::vector<Alert> m_alerts;
    std::vector<std::pair<std::string, std::int64_t>> m_restored; ///< key → activeAt, used once
    RuleHealth m_health;
};

} // namespace pulse
