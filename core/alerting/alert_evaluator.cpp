// AlertEvaluator: the rule set, and the ALERTS series that record what every rule did.
#include "core/alerting/alert_evaluator.h"

#include "core/base/history_reader.h"
#include "core/promql/engine.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace pulse {
namespace {

constexpr std::string_view kAlertsMetric = "ALERTS";
constexpr std::string_view kForStateMetric = "ALERTS_FOR_STATE";

} // namespace

Result<AlertEvaluator> AlertEvaluator::create(std::span<const AlertRuleConfig> rules)
{
    AlertEvaluator evaluator;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        auto rule = AlertRule::compile(rules[i]);
        if (!rule)
            return fail("alerts[" + std::to_string(i) + "] " + rules[i].name + ": " + rule.error().message);
        evaluator.m_rules.push_back(std::move(*rule));
    }
    evaluator.m_lastSeries.resize(evaluator.m_rules.size());
    evaluator.m_lastRunMs.assign(evaluator.m_rules.size(), INT64_MIN);
    return evaluator;
}

AlertEvaluation AlertEvaluator::evaluate(const promql::Engine &engine, std::int64_t nowMs)
{
    return evaluateWith([&](AlertRule &rule) { return rule.evaluate(engine, nowMs); }, nowMs);
}

AlertEvaluation AlertEvaluator::evaluate(const ReaderFor &readerFor, std::int64_t nowMs)
{
    return evaluateWith(
        [&](AlertRule &rule) {
            const promql::Engine engine(readerFor(nowMs - rule.dataSpanMs()));
            return rule.evaluate(engine, nowMs);
        },
        nowMs);
}

AlertEvaluation AlertEvaluator::evaluateWith(const std::function<std::vector<AlertTransition>(AlertRule &)> &run,
                                             std::int64_t nowMs)
{
    AlertEvaluation out;
    out.atMs = nowMs;
    out.series.target = std::string(kAlertsMetric);
    out.series.scrapeStartMs = nowMs;
    std::vector<char> ran(m_rules.size(), 0);
    std::vector<std::vector<Sample>> written(m_rules.size());
    for (std::size_t i = 0; i < m_rules.size(); ++i) {
        AlertRule &rule = m_rules[i];
        const std::int64_t intervalMs = rule.config().interval.count();
        ran[i] = m_lastRunMs[i] == INT64_MIN || intervalMs <= 0 || nowMs - m_lastRunMs[i] >= intervalMs;
        if (ran[i]) {
            m_lastRunMs[i] = nowMs;
            auto transitions = run(rule);
            std::ranges::move(transitions, std::back_inserter(out.transitions));
        }
        out.health.push_back(rule.health());
        for (const auto &alert : rule.alerts()) {
            out.alerts.push_back(alert);
            if (!ran[i] || alert.state == AlertState::Inactive)
                continue;
            Labels withState = alert.labels;
            withState.set("alertstate", alertStateName(alert.state));
            written[i].push_back({std::string(kAlertsMetric), std::move(withState), nowMs, 1.0});
            written[i].push_back(
                {std::string(kForStateMetric), alert.labels, nowMs, static_cast<double>(alert.activeAtMs) / 1000.0});
        }
    }
    // A series a rule that ran no longer writes ends now, unless another rule still writes it (or
    // wrote it at its last evaluation, not due now).
    std::set<std::pair<std::string, Labels>> current;
    for (std::size_t i = 0; i < m_rules.size(); ++i)
        for (const auto &s : ran[i] ? written[i] : m_lastSeries[i])
            current.emplace(s.metric, s.labels);
    for (std::size_t i = 0; i < m_rules.size(); ++i)
        if (ran[i])
            out.series.samples.insert(out.series.samples.end(), written[i].begin(), written[i].end());
    for (std::size_t i = 0; i < m_rules.size(); ++i) {
        if (!ran[i])
            continue;
        for (Sample &previous : m_lastSeries[i]) {
            if (current.emplace(previous.metric, previous.labels).second) // ended once, by one rule
                out.series.samples.push_back(
                    {std::move(previous.metric), std::move(previous.labels), nowMs, staleMarker()});
        }
        m_lastSeries[i] = std::move(written[i]);
    }
    return out;
}

void AlertEvaluator::restore(const promql::Engine &engine, std::int64_t nowMs)
{
    auto result = engine.instantQuery(kForStateMetric, nowMs);
    if (!result || result->type != promql::QueryResult::Type::Vector)
        return; // nothing to restore is the normal first start
    for (const auto &sample : result->vector) {
        const std::string_view name = sample.labels.value("alertname");
        if (!std::isfinite(sample.value))
            continue;
        for (auto &rule : m_rules) {
            if (rule.config().name == name)
                rule.restoreActiveAt(std::string(name) + sample.labels.toString(),
                                     static_cast<std::int64_t>(std::llround(sample.value * 1000)));
        }
    }
}

} // namespace pulse
