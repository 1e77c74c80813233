// The built-in config used when pulseboard starts without --config: watch the in-process demo.
#pragma once

#include <string>

namespace pulse {

/// demoConfigYaml is a complete config file (YAML) that scrapes the demo service at `address`
/// (host:port) every second, tails its two logs (when their paths are given) and shows an overview
/// dashboard. It goes through the same loader as a user's file, so it is validated the same way.
std::string demoConfigYaml(const std::string &address, const std::string &accessLog = {},
                           const std::string &appLog = {});

} // namespace pulse
