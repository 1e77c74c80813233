// Reading the `targets:` section. Private to core (see config_reader.h).
#pragma once

#include "core/config/detail/config_reader.h"
#include "core/config/target_config.h"

#include <vector>

namespace pulse::detail {

/// readTargets reads the `targets:` list, including the checks across targets (unique names).
std::vector<TargetConfig> readTargets(ConfigReader &reader, const YAML::Node &list);

/// readHttpClientOptions reads the keys every HTTP client takes from the mapping node at path: url,
/// headers, secret_headers, bearer_token(_file), basic_auth, tls (a target's, a notification
/// receiver's). The caller checks which keys the mapping may have.
void readHttpClientOptions(ConfigReader &r, const YAML::Node &node, const std::string &path, HttpTargetOptions &out);

} // namespace pulse::detail
