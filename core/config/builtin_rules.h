// builtinAlertRules: the alerting rules every Pulseboard has unless the config turns them off —
// what an on-call engineer would otherwise have to remember to write.
#pragma once

#include "core/alerting/alert_rule_config.h"

#include <vector>

namespace pulse {

/// builtinAlertRules are, in order: TargetDown (up == 0 for 1 m), ScrapeEmpty (a target answers with
/// no samples for 5 m), ProbeFailing (a check's probe_success == 0 for 1 m), CertificateExpiringSoon
/// (TLS certificate within 14 days), DiskFillingWithin24h (predict_linear over 6 h says a file system
/// fills within a day), HistoryDroppingSamples (the writer dropped samples in the last 5 m) and
/// NotificationsFailing (deliveries failing while notifications wait, 10 m). Each carries the label
/// builtin="true". Compiled once; the same vector every call.
const std::vector<AlertRuleConfig> &builtinAlertRules();

} // namespace pulse
