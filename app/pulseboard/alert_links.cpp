// AlertLinks: matching rules to panels by expression text and by the metrics they read.
#include "app/pulseboard/alert_links.h"

#include "app/pulseboard/target_dashboard.h"
#include "core/promql/parser.h"

#include <QRegularExpression>

#include <algorithm>

namespace pulse {
namespace {

std::string_view opText(promql::BinOp op)
{
    return promql::binOpName(op);
}

QString namesSelector(const std::vector<std::string> &names, const std::string &extra)
{
    std::string regex;
    for (const auto &n : names) {
        if (!regex.empty())
            regex += '|';
        regex += QRegularExpression::escape(QString::fromStdString(n)).toStdString();
    }
    std::string selector = "ALERTS{alertstate=\"firing\"";
    if (!names.empty())
        selector += ",alertname=~" + promqlString(regex);
    if (!extra.empty())
        selector += "," + extra;
    return QString::fromStdString(selector + "}");
}

} // namespace

std::string normalizedExpr(std::string_view expr)
{
    std::string out;
    char quote = 0;
    for (std::size_t i = 0; i < expr.size(); ++i) {
        const char c = expr[i];
        if (quote != 0) {
            out += c;
            if (c == '\\' && quote != '`' && i + 1 < expr.size())
                out += expr[++i];
            else if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '"' || c == '\'' || c == '`')
            quote = c;
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            out += c;
    }
    return out;
}

QColor severityColor(const std::string &severity)
{
    if (severity == "critical" || severity == "page")
        return {231, 76, 60};
    if (severity == "info")
        return {52, 152, 219};
    return {230, 126, 34};
}

AlertLinks::AlertLinks(const std::vector<AlertRuleConfig> &rules)
{
    for (const auto &r : rules) {
        if (auto compiled = AlertRule::compile(r))
            m_rules.push_back(std::move(*compiled));
    }
}

PanelAlertLinks AlertLinks::forPanel(const PanelConfig &panel) const
{
    PanelAlertLinks links;
    std::vector<std::string> panelMetrics;
    std::vector<std::string> normalized;
    for (const auto &e : panel.exprs) {
        normalized.push_back(normalizedExpr(e));
        if (auto parsed = promql::parse(e)) {
            const auto names = promql::selectedMetricNames(**parsed);
            panelMetrics.insert(panelMetrics.end(), names.begin(), names.end());
        }
    }
    std::vector<std::string> related;
    for (const auto &rule : m_rules) {
        const auto &t = rule.threshold();
        if (t && std::ranges::find(normalized, normalizedExpr(t->expr)) != normalized.end()) {
            links.lines.push_back({t->value, severityColor(rule.config().severity),
                                   QString::fromStdString(rule.config().name + " " + std::string(opText(t->op)) + " ") +
                                       QString::number(t->value, 'g', 6)});
            related.push_back(rule.config().name);
            continue;
        }
        const bool shared = std::ranges::any_of(rule.metricNames(), [&](const std::string &m) {
            return std::ranges::find(panelMetrics, m) != panelMetrics.end();
        });
        if (shared)
            related.push_back(rule.config().name);
    }
    if (!related.empty())
        links.bandSelector = namesSelector(related, {});
    return links;
}

PanelAlertLinks AlertLinks::forTarget(const PanelConfig &panel, const std::string &job) const
{
    PanelAlertLinks links = forPanel(panel);
    links.bandSelector = m_rules.empty() ? QString() : namesSelector({}, "job=" + promqlString(job));
    return links;
}

} // namespace pulse
