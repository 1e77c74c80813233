// AlertRule: compiling a rule and advancing its instances at each evaluation, with Prometheus's
// semantics (rules/alerting.go): `for:` counts from the first evaluation that returned the label set,
// `keep_firing_for:` counts from the first that did not, resolved alerts stay listed 15 minutes.
#include "core/alerting/alert_rule.h"

#include "core/promql/engine.h"
#include "core/promql/parser.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <unordered_map>

namespace pulse {
namespace {

using promql::BinOp;
using promql::Expr;

/// flipped turns `value op expr` into `expr op' value`.
BinOp flipped(BinOp op)
{
    switch (op) {
    case BinOp::Lss:
        return BinOp::Gtr;
    case BinOp::Lte:
        return BinOp::Gte;
    case BinOp::Gtr:
        return BinOp::Lss;
    case BinOp::Gte:
        return BinOp::Lte;
    default:
        return op;
    }
}

std::optional<RuleThreshold> findThreshold(const Expr &root, std::string_view text)
{
    const Expr &expr = promql::unwrapParens(root);
    const auto *binary = std::get_if<promql::BinaryExpr>(&expr.node);
    if (binary == nullptr || !promql::isComparison(binary->op) || binary->returnBool)
        return std::nullopt;
    const Expr &lhs = promql::unwrapParens(*binary->lhs);
    const Expr &rhs = promql::unwrapParens(*binary->rhs);
    const auto *rightNumber = std::get_if<promql::NumberLiteral>(&rhs.node);
    const auto *leftNumber = std::get_if<promql::NumberLiteral>(&lhs.node);
    if (rightNumber != nullptr && lhs.type() == promql::ValueType::Vector)
        return RuleThreshold{std::string(text.substr(binary->lhs->pos.start, binary->lhs->pos.end - binary->lhs->pos.start)),
                             binary->op, rightNumber->value};
    if (leftNumber != nullptr && rhs.type() == promql::ValueType::Vector)
        return RuleThreshold{std::string(text.substr(binary->rhs->pos.start, binary->rhs->pos.end - binary->rhs->pos.start)),
                             flipped(binary->op), leftNumber->value};
    return std::nullopt;
}

Result<std::vector<std::pair<std::string, AlertTemplate>>> compileTemplates(const KeyValueList &items,
                                                                            std::string_view section)
{
    std::vector<std::pair<std::string, AlertTemplate>> out;
    for (const auto &[name, text] : items) {
        auto compiled = AlertTemplate::compile(text);
        if (!compiled)
            return fail(std::string(section) + "." + name + ": " + compiled.error().message);
        out.emplace_back(name, std::move(*compiled));
    }
    return out;
}

} // namespace

namespace {
std::atomic<std::uint64_t> g_compilations{0};
} // namespace

std::uint64_t AlertRule::compilations()
{
    return g_compilations.load();
}

Result<std::shared_ptr<const CompiledAlertRule>> AlertRule::precompile(const AlertRuleConfig &config)
{
    ++g_compilations;
    auto query = promql::PreparedQuery::prepare(config.expr);
    if (!query)
        return fail("expr: " + query.error().message);
    const auto type = query->type();
    if (type != promql::ValueType::Vector && type != promql::ValueType::Scalar)
        return fail("expr: an alerting rule needs an instant vector or a scalar, not a " +
                    std::string(promql::valueTypeName(type)));
    auto compiled = std::make_shared<CompiledAlertRule>(
        CompiledAlertRule{config.expr, config.labels, config.annotations, std::move(*query), {}, {}, {}, 0});
    compiled->threshold = findThreshold(compiled->query.expr(), config.expr);
    compiled->dataSpanMs = compiled->query.dataSpanMs(promql::EngineOptions{}.lookbackDeltaMs);
    KeyValueList labels;
    for (const auto &l : config.labels)
        labels.emplace_back(l.name, l.value);
    auto labelTemplates = compileTemplates(labels, "labels");
    if (!labelTemplates)
        return std::unexpected(labelTemplates.error());
    compiled->labelTemplates = std::move(*labelTemplates);
    auto annotationTemplates = compileTemplates(config.annotations, "annotations");
    if (!annotationTemplates)
        return std::unexpected(annotationTemplates.error());
    compiled->annotationTemplates = std::move(*annotationTemplates);
    return std::shared_ptr<const CompiledAlertRule>(std::move(compiled));
}

Result<AlertRule> AlertRule::compile(const AlertRuleConfig &config)
{
    AlertRule rule;
    rule.m_config = config;
    rule.m_health.rule = config.name;
    if (config.compiled && config.compiled->compiledFrom(config)) {
        rule.m_compiled = config.compiled;
        return rule;
    }
    auto compiled = precompile(config);
    if (!compiled)
        return std::unexpected(compiled.error());
    rule.m_compiled = std::move(*compiled);
    return rule;
}

Labels AlertRule::instanceLabels(const Labels &resultLabels, double value) const
{
    Labels labels = resultLabels;
    if (!m_config.severity.empty())
        labels.set("severity", m_config.severity);
    for (const auto &[name, tmpl] : m_compiled->labelTemplates)
        labels.set(name, tmpl.expand(resultLabels, value));
    labels.set("alertname", m_config.name);
    return labels;
}

void AlertRule::updateInstance(Alert &alert, const Labels &resultLabels, double value) const
{
    alert.value = value;
    alert.annotations.clear();
    for (const auto &[name, tmpl] : m_compiled->annotationTemplates)
        alert.annotations.emplace_back(name, tmpl.expand(resultLabels, value));
}

/// Returned is one element the query returned: its labels for templates (with __name__, as
/// Prometheus passes them) and the instance's own label set.
struct AlertRule::Returned {
    Labels templateLabels;
    Labels labels;
    double value = 0;
};

namespace {

void record(std::vector<AlertTransition> &transitions, Alert &alert, AlertState to, std::int64_t nowMs)
{
    const AlertState from = alert.state;
    alert.state = to;
    transitions.push_back({alert, from, nowMs});
}

} // namespace

std::vector<AlertTransition> AlertRule::evaluate(const promql::Engine &engine, std::int64_t nowMs)
{
    const auto started = std::chrono::steady_clock::now();
    m_health.lastEvaluationMs = nowMs;
    std::vector<AlertTransition> transitions;
    auto returned = collect(engine, nowMs);
    if (returned) {
        m_health.error.clear();
        advance(*returned, nowMs, transitions);
    } else {
        m_health.error = returned.error().message; // a failed evaluation changes no instance
    }
    m_health.evaluationNs =
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started).count();
    return transitions;
}

Result<std::vector<AlertRule::Returned>> AlertRule::collect(const promql::Engine &engine, std::int64_t nowMs) const
{
    auto result = engine.instantQuery(m_compiled->query, nowMs);
    if (!result)
        return std::unexpected(result.error());
    // Checked before any instance's labels are built: there may be a hundred thousand of them.
    const std::size_t count = result->type == promql::QueryResult::Type::Scalar ? 1 : result->vector.size();
    if (m_config.limit != 0 && count > m_config.limit)
        return fail("exceeded limit of " + std::to_string(m_config.limit) + " with " + std::to_string(count) +
                    " alerts (the rule's `limit`: narrow the expression, or raise it)");
    std::vector<Returned> returned;
    if (result->type == promql::QueryResult::Type::Scalar) {
        returned.push_back({{}, instanceLabels({}, result->scalar), result->scalar});
    } else {
        for (const auto &sample : result->vector) {
            Labels forTemplates = sample.labels;
            if (!sample.metric.empty())
                forTemplates.set("__name__", sample.metric);
            Labels labels = instanceLabels(sample.labels, sample.value);
            returned.push_back({std::move(forTemplates), std::move(labels), sample.value});
        }
    }
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < returned.size(); ++i) {
        if (!seen.emplace(returned[i].labels.toString(), i).second)
            return fail("vector contains metrics with the same labelset after applying alert labels");
    }
    return returned;
}

void AlertRule::advance(std::vector<Returned> &returned, std::int64_t nowMs, std::vector<AlertTransition> &transitions)
{
    std::unordered_map<std::string, std::size_t> existing;
    for (std::size_t i = 0; i < m_alerts.size(); ++i)
        existing.emplace(m_alerts[i].labels.toString(), i);

    std::vector<Alert> next;
    next.reserve(returned.size() + m_alerts.size());
    std::vector<bool> carried(m_alerts.size(), false);
    for (auto &r : returned) {
        const auto it = existing.find(r.labels.toString());
        if (it != existing.end() && m_alerts[it->second].state != AlertState::Inactive) {
            Alert alert = std::move(m_alerts[it->second]);
            carried[it->second] = true;
            alert.labels = std::move(r.labels);
            alert.keepFiringSinceMs = 0;
            updateInstance(alert, r.templateLabels, r.value);
            next.push_back(std::move(alert));
            continue;
        }
        if (it != existing.end())
            carried[it->second] = true; // a resolved instance that returns starts over as pending
        next.push_back(startInstance(r, nowMs, transitions));
    }
    m_restored.clear();

    for (std::size_t i = 0; i < m_alerts.size(); ++i) {
        if (!carried[i])
            settleMissing(m_alerts[i], nowMs, next, transitions);
    }
    for (auto &alert : next) {
        if (alert.state == AlertState::Pending && nowMs - alert.activeAtMs >= m_config.forDuration.count()) {
            alert.firedAtMs = nowMs;
            record(transitions, alert, AlertState::Firing, nowMs);
        }
    }
    std::ranges::sort(next, {}, [](const Alert &a) { return a.labels; });
    m_alerts = std::move(next);
}

Alert AlertRule::startInstance(Returned &r, std::int64_t nowMs, std::vector<AlertTransition> &transitions) const
{
    Alert alert;
    alert.rule = m_config.name;
    alert.severity = m_config.severity;
    alert.labels = std::move(r.labels);
    alert.activeAtMs = nowMs;
    const std::string key = alert.key();
    const auto restored = std::ranges::find(m_restored, key, &std::pair<std::string, std::int64_t>::first);
    if (restored != m_restored.end() && restored->second <= nowMs)
        alert.activeAtMs = restored->second;
    updateInstance(alert, r.templateLabels, r.value);
    record(transitions, alert, AlertState::Pending, nowMs);
    return alert;
}

void AlertRule::settleMissing(Alert &alert, std::int64_t nowMs, std::vector<Alert> &next,
                              std::vector<AlertTransition> &transitions) const
{
    if (alert.state == AlertState::Firing && m_config.keepFiringFor.count() > 0) {
        if (alert.keepFiringSinceMs == 0)
            alert.keepFiringSinceMs = nowMs;
        if (nowMs - alert.keepFiringSinceMs < m_config.keepFiringFor.count()) {
            next.push_back(std::move(alert));
            return;
        }
    }
    if (alert.state == AlertState::Pending) {
        record(transitions, alert, AlertState::Inactive, nowMs); // never fired: reported, then forgotten
        return;
    }
    if (alert.state == AlertState::Inactive) {
        if (nowMs - alert.resolvedAtMs <= kResolvedRetentionMs)
            next.push_back(std::move(alert));
        return;
    }
    alert.resolvedAtMs = nowMs;
    record(transitions, alert, AlertState::Inactive, nowMs);
    next.push_back(std::move(alert));
}

void AlertRule::restoreActiveAt(const std::string &key, std::int64_t activeAtMs)
{
    m_restored.emplace_back(key, activeAtMs);
}

} // namespace pulse
