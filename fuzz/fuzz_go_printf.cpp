// libFuzzer target for the printf of alert templates: the first line of the input is the format, each
// further line one argument (a number when it reads as one, as templates pass $value). Besides
// "never crashes, never trips ASan/UBSan":
//
//  1. A format without '%' comes back unchanged.
//  2. The output is bounded: no width or precision over 1e6 is honoured, so it is at most the format
//     plus, per verb, 1e6 and the longest argument (quoted, escaped) — far below what a gigabyte
//     width would make.
#include "core/alerting/go_printf.h"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    const std::size_t newline = input.find('\n');
    const std::string_view format = input.substr(0, newline);
    std::vector<pulse::PrintfArg> args;
    std::size_t longest = 0;
    for (std::size_t at = newline; at != std::string_view::npos && args.size() < 16;) {
        const std::size_t end = input.find('\n', at + 1);
        const std::string_view text = input.substr(at + 1, end == std::string_view::npos ? end : end - at - 1);
        pulse::PrintfArg arg;
        arg.text = std::string(text);
        double number = 0;
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (ec == std::errc() && ptr == text.data() + text.size() && !text.empty())
            arg.number = number;
        longest = std::max(longest, text.size());
        args.push_back(std::move(arg));
        at = end;
    }
    const std::string out = pulse::goPrintf(format, args);
    if (format.find('%') == std::string_view::npos && out != format) {
        std::fprintf(stderr, "invariant violated: a format without verbs changed\n");
        std::abort();
    }
    const std::size_t verbs = static_cast<std::size_t>(std::count(format.begin(), format.end(), '%'));
    if (out.size() > format.size() + verbs * (1'000'000 + 6 * longest + 400) + 64) {
        std::fprintf(stderr, "invariant violated: %zu bytes out of a %zu-byte format\n", out.size(), format.size());
        std::abort();
    }
    return 0;
}
