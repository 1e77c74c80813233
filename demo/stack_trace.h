// Made-up but plausible stack traces for the demo service's error log lines, so log views and
// multi-line parsers have real-looking traces to show.
#pragma once

#include "demo/demo_random.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace pulse::demo {

/// StackTrace is one trace: summary is the exception line, text the whole trace joined with '\n'.
struct StackTrace {
    std::string summary;
    std::string text;
};

/// makeStackTrace writes a Python- or Java-style trace (chosen by random) for a failed request on route.
StackTrace makeStackTrace(DemoRandom &random, std::string_view route, std::int64_t entityId);

} // namespace pulse::demo
