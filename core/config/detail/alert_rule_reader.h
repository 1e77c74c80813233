// checkAlertRule: an alerting rule compiled at load, its errors at the offending key. Shared by the
// config file's `alerts:` and Prometheus rule files. Private to core.
#pragma once

#include "core/alerting/alert_rule_config.h"
#include "core/config/detail/config_reader.h"

#include <string>

namespace pulse::detail {

/// checkAlertRule compiles the rule as the rules engine will, so a bad expression or template is a
/// config error at its line, not a rule that silently never fires; the compiled rule is kept in the
/// description, so nothing compiles it again. node is the rule's mapping, path its config path.
void checkAlertRule(ConfigReader &r, const YAML::Node &node, const std::string &path, AlertRuleConfig &alert);

} // namespace pulse::detail
