// The config file's names of log formats.
#include "core/logs/log_format.h"

#include <array>

namespace pulse {
namespace {

// In enum order, so an enum's value indexes its name.
constexpr std::array<std::string_view, 4> kFormatNames{"nginx_combined", "json_lines", "syslog", "plain"};

} // namespace

std::span<const std::string_view> logFormatNames()
{
    return kFormatNames;
}

std::string_view logFormatName(LogFormat format)
{
    return kFormatNames.at(static_cast<std::size_t>(format));
}

std::optional<LogFormat> logFormatFromName(std::string_view name)
{
    for (std::size_t i = 0; i < kFormatNames.size(); ++i) {
        if (kFormatNames[i] == name)
            return static_cast<LogFormat>(i);
    }
    return std::nullopt;
}

} // namespace pulse
