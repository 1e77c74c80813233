// LogFormat: how a log target's lines are parsed, and the names the config file gives the formats.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace pulse {

/// LogFormat says how a log target's lines are parsed. Regex needs a pattern (LogLineParser).
enum class LogFormat { NginxCombined, JsonLines, Syslog, Plain, Logfmt, Regex };

/// logFormatNames lists the config's spellings, in LogFormat order.
std::span<const std::string_view> logFormatNames();
std::string_view logFormatName(LogFormat format);
std::optional<LogFormat> logFormatFromName(std::string_view name);

} // namespace pulse
