// libFuzzer target for the series notation of PromQL test files (`m{a="b"} 0+10x5 _ stale`), which
// `pulsectl promql-test` reads from files people share. Besides "never crashes":
//
//  1. A line that parses expands to at most kMaxSeriesValues values (no input asks for gigabytes).
#include "core/promql/series_notation.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view line(reinterpret_cast<const char *>(data), size);
    const auto parsed = pulse::promql::parseSeriesLine(line);
    if (parsed && parsed->values.size() > pulse::promql::kMaxSeriesValues) {
        std::fprintf(stderr, "invariant violated: %zu values\n", parsed->values.size());
        std::abort();
    }
    (void)pulse::promql::parseGoFloat(line);
    return 0;
}
