// Reading the `targets:` section. Private to core (see config_reader.h).
#pragma once

#include "core/config/detail/config_reader.h"
#include "core/config/target_config.h"

#include <vector>

namespace pulse::detail {

/// readTargets reads the `targets:` list, including the checks across targets (unique names).
std::vector<TargetConfig> readTargets(ConfigReader &reader, const YAML::Node &list);

} // namespace pulse::detail
