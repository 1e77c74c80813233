// libFuzzer target for the config loader: any bytes as a YAML config (a file a colleague shares).
// Besides "never crashes, never trips ASan/UBSan, never expands aliases without bound":
//
//  1. Every diagnostic has a message.
//  2. What `${VAR}` expands to never shows: the config is loaded twice, with every variable set to
//     marker A and then to marker B; the diagnostics and the dump of run A must not hold marker A
//     more often than run B's do (where A can only come from the input itself, escapes included).
#include "core/config/config_loader.h"
#include "fuzz/fuzz_support.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

using pulse::fuzz::violated;

namespace {

constexpr std::string_view kMarkerA = "fuzz-secret-7c1e94";
constexpr std::string_view kMarkerB = "fuzz-secret-b20f55";

/// shown is everything the user would see of a load: its diagnostics, or the dumped config.
std::string shown(std::string_view text, std::string_view marker)
{
    pulse::ConfigEnvironment env;
    env.lookupEnv = [marker](std::string_view) { return std::optional<std::string>(std::string(marker)); };
    env.baseDirectory = "/nonexistent-pulse-fuzz";
    const pulse::ConfigLoadResult result = pulse::loadConfig(text, "fuzz.yaml", env);
    if (result)
        return pulse::dumpConfig(*result);
    std::string out;
    for (const pulse::ConfigDiagnostic &d : result.error()) {
        if (d.message.empty())
            violated("a diagnostic without a message");
        out += d.message;
        out += '\n';
    }
    return out;
}

std::size_t occurrences(std::string_view haystack, std::string_view needle)
{
    std::size_t n = 0;
    for (std::size_t at = haystack.find(needle); at != std::string_view::npos; at = haystack.find(needle, at + 1))
        ++n;
    return n;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    const std::string a = shown(text, kMarkerA);
    const std::string b = shown(text, kMarkerB);
    if (occurrences(a, kMarkerA) > occurrences(b, kMarkerA))
        violated("an expanded ${VAR} shows in a diagnostic or in the dumped config");
    return 0;
}
