// Names of panel kinds as the config file spells them.
#include "core/config/config.h"

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
            if (const auto *alert = std::get_if<AlertRuleConfig>(&rule))
                out.push_back(*alert);
    return out;
}

std::vector<RecordingRuleConfig> recordingRules(const Config &config)
{
    std::vector<RecordingRuleConfig> out;
    for (const RuleGroupConfig &group : config.ruleGroups)
        for (const RuleConfig &rule : group.rules)
            if (const auto *record = std::get_if<RecordingRuleConfig>(&rule))
                out.push_back(*record);
    return out;
}

} // namespace pulse
