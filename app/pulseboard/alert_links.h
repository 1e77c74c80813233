// AlertLinks: which alert rules belong on which chart — threshold lines for rules that compare a
// panel's own expression with a number, shaded bands for rules that read the panel's metrics.
#pragma once

#include "core/alerting/alert_rule.h"
#include "core/config/config.h"
#include "widgets/chart_annotations.h"

#include <QString>

#include <vector>

namespace pulse {

struct PanelAlertLinks {
    std::vector<ThresholdLine> lines;
    QString bandSelector; ///< PromQL selector of the related rules' firing ALERTS series; empty: none
};

/// AlertLinks compiles the config's rules once (on the GUI thread: pure computation, no I/O).
/// Rules that do not compile are skipped here; the config loader has reported them already.
class AlertLinks {
public:
    explicit AlertLinks(const std::vector<AlertRuleConfig> &rules);

    /// forPanel: a rule `E > 0.5` whose E is one of the panel's expressions (ignoring spaces) gives a
    /// line at 0.5; every rule whose expression selects a metric the panel's expressions select
    /// gives bands.
    PanelAlertLinks forPanel(const PanelConfig &panel) const;
    /// forTarget: on a target's drill-down dashboard, bands for every alert about that job.
    PanelAlertLinks forTarget(const PanelConfig &panel, const std::string &job) const;

private:
    std::vector<AlertRule> m_rules;
};

/// normalizedExpr drops the spaces outside string literals, so `rate(x[5m]) > 1` and
/// `rate(x[5m])>1` compare equal.
std::string normalizedExpr(std::string_view expr);

/// severityColor is the colour alerts of a severity are drawn in (critical red, warning orange,
/// info blue).
QColor severityColor(const std::string &severity);

} // namespace pulse
