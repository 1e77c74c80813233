// Names of panel kinds as the config file spells them.
#include "core/config/config.h"

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
    return kPanelKindNames.at(static_cast<std::size_t>(kind));
}

std::optional<PanelKind> panelKindFromName(std::string_view name)
{
    for (std::size_t i = 0; i < kPanelKindNames.size(); ++i) {
        if (kPanelKindNames[i] == name)
            return static_cast<PanelKind>(i);
    }
    return std::nullopt;
}

} // namespace pulse
