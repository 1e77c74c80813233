// Names of panel kinds as the config file spells them.
#include "core/config/config.h"

#include "core/config/builtin_rules.h"

#include <algorithm>

#include "core/base/enum_names.h"

#include <array>

namespace pulse {
namespace {

// In enum order, so an enum's value indexes its name.
constexpr std::array<std::string_view, 3> kPanelKindNames{"chart", "area", "stat"};

} // namespace

std::span<const std::string_view> panelKindNames()
{
    return kPanelKindNames;
}

std::string_view panelKindName(PanelKind kind)
{
    return enumName(kPanelKindNames, kind);
}

std::optional<PanelKind> panelKindFromName(std::string_view name)
{
    return enumFromName<PanelKind>(kPanelKindNames, name);
}

std::vector<AlertRuleConfig> alertRules(const Config &config)
{
    std::vector<AlertRuleConfig> out = config.alerts;
    for (const RuleGroupConfig &group : config.ruleGroups)
        for (const RuleConfig &rule : group.rules)
            if (const auto *alert = std::get_if<AlertRuleConfig>(&rule)) {
                out.push_back(*alert);
                out.back().interval = group.interval.value_or(Duration{0});
            }
    if (!config.builtinRules.enabled)
        return out;
    const auto &off = config.builtinRules.disabled;
    const std::size_t own = out.size();
    for (const AlertRuleConfig &builtin : builtinAlertRules()) {
        const bool disabled = std::find(off.begin(), off.end(), builtin.name) != off.end();
        const bool replaced = std::any_of(out.begin(), out.begin() + std::ptrdiff_t(own),
                                          [&](const AlertRuleConfig &r) { return r.name == builtin.name; });
        if (!disabled && !replaced)
            out.push_back(builtin);
    }
    return out;
}

std::vector<RecordingRuleConfig> recordingRules(const Config &config)
{
    std::vector<RecordingRuleConfig> out;
    for (const RuleGroupConfig &group : config.ruleGroups)
        for (const RuleConfig &rule : group.rules)
            if (const auto *record = std::get_if<RecordingRuleConfig>(&rule)) {
                out.push_back(*record);
                out.back().interval = group.interval.value_or(Duration{0});
            }
    return out;
}

} // namespace pulse
