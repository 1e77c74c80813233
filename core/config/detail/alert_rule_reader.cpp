// checkAlertRule: compiling an alerting rule at load (see alert_rule_reader.h).
#include "core/config/detail/alert_rule_reader.h"

#include "core/alerting/alert_rule.h"

namespace pulse::detail {

void checkAlertRule(ConfigReader &r, const YAML::Node &node, const std::string &path, AlertRuleConfig &alert)
{
    auto compiled = AlertRule::precompile(alert);
    if (compiled) {
        alert.compiled = std::move(*compiled); // the rules engine and the charts reuse it
        return;
    }
    const std::string &message = compiled.error().message;
    const auto colon = message.find(':');
    const std::string part = message.substr(0, colon); // "expr", "labels.team", "annotations.summary"
    const std::string key = part.substr(0, part.find('.'));
    auto entry = r.find(node, key);
    if (!entry) {
        r.report(node, path, message);
        return;
    }
    if (const auto dot = part.find('.'); dot != std::string::npos && entry->value.IsMap()) {
        if (auto inner = r.find(entry->value, part.substr(dot + 1)))
            entry = inner;
    }
    const std::string detail = message.substr(colon == std::string::npos ? 0 : colon + 2);
    r.report(*entry, ConfigReader::join(path, part),
             key == "expr" ? "invalid PromQL: " + detail : "invalid template: " + detail);
}

} // namespace pulse::detail
