// libFuzzer target for the JSON probes' extraction: the first line of the input is a JSON pointer
// (with a `*` wildcard, as `extract:` takes), the rest a response body. Besides "never crashes":
//
//  1. For a pointer without `*`, jsonNumbersAt is jsonNumberAt: one match with the same number, or
//     the same failure.
#include "collectors/json_pointer.h"
#include "fuzz/fuzz_support.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

using pulse::fuzz::violated;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    const std::size_t newline = input.find('\n');
    const std::string_view pointer = input.substr(0, newline);
    const std::string body(newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1));
    const auto doc = pulse::parseJsonBody(body);
    if (!doc)
        return 0;
    (void)pulse::resolveJsonPointer(*doc, pointer);
    const auto one = pulse::jsonNumberAt(*doc, pointer);
    const auto all = pulse::jsonNumbersAt(*doc, pointer);
    if (pointer.find('*') != std::string_view::npos)
        return 0;
    if (one.has_value() != all.has_value())
        violated("jsonNumbersAt and jsonNumberAt disagree on a pointer without a wildcard");
    if (one && (all->size() != 1 || !((*all)[0].value == *one || (std::isnan(*one) && std::isnan((*all)[0].value)))))
        violated("jsonNumbersAt found another number than jsonNumberAt");
    return 0;
}
