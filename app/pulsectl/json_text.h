// appendJsonString for pulsectl: the one JSON string escape (core/base/text_encoding.h) for everything
// it prints (sample lines, query answers, quoted logfmt values).
#pragma once

#include "core/base/text_encoding.h"

namespace pulse::cli {

using pulse::appendJsonString;

} // namespace pulse::cli
