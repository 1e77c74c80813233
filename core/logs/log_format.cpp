// The config file's names of log formats.
#include "core/logs/log_format.h"

#include "core/base/enum_names.h"

#include <array>

namespace pulse {
namespace {

// In enum order, so an enum's value indexes its name.
constexpr std::array<std::string_view, 6> kFormatNames{"nginx_combined", "json_lines", "syslog",
                                                      "plain",          "logfmt",     "regex"};

} // namespace

std::span<const std::string_view> logFormatNames()
{
    return kFormatNames;
}

std::string_view logFormatName(LogFormat format)
{
    return enumName(kFormatNames, format);
}

std::optional<LogFormat> logFormatFromName(std::string_view name)
{
    return enumFromName<LogFormat>(kFormatNames, name);
}

} // namespace pulse
