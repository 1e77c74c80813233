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

} // namespace pulse
