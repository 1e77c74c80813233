// KeyValueList: string pairs in the order a file lists them (HTTP headers, alert annotations).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace pulse {

using KeyValueList = std::vector<std::pair<std::string, std::string>>;

} // namespace pulse
