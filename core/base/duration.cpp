// Prometheus-style duration parsing and formatting.
#include "core/base/duration.h"

#include <array>
#include <limits>

namespace pulse {
namespace {

struct Unit {
    std::string_view suffix;
    std::int64_t ms;
};

// Largest first; "ms" must be tested before "m" when reading.
constexpr std::array<Unit, 7> kUnits{{{"y", 365LL * 24 * 3600 * 1000},
                                      {"w", 7LL * 24 * 3600 * 1000},
                                      {"d", 24LL * 3600 * 1000},
                                      {"h", 3600LL * 1000},
                                      {"m", 60LL * 1000},
                                      {"s", 1000},
                                      {"ms", 1}}};

} // namespace

Result<Duration> parseDuration(std::string_view text)
{
    const std::string quoted = "'" + std::string(text) + "'";
    if (text.empty())
        return fail("empty duration; write e.g. 15s, 5m, 1h30m, 7d");
    if (text == "0")
        return Duration{0};
    std::size_t pos = 0;
    std::size_t nextUnit = 0; // units must appear largest first, each at most once
    std::int64_t total = 0;
    while (pos < text.size()) {
        if (text[pos] < '0' || text[pos] > '9')
            return fail("bad duration " + quoted + ": expected a number at offset " + std::to_string(pos) +
                        " (write e.g. 15s, 5m, 1h30m, 7d)");
        std::int64_t value = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            const int digit = text[pos] - '0';
            if (value > (std::numeric_limits<std::int64_t>::max() - digit) / 10)
                return fail("duration " + quoted + " is too large");
            value = value * 10 + digit;
            ++pos;
        }
        const std::string_view rest = text.substr(pos);
        std::size_t found = kUnits.size();
        for (std::size_t i = 0; i < kUnits.size(); ++i) {
            const auto &u = kUnits[i];
            if (!rest.starts_with(u.suffix))
                continue;
            // "m" must not swallow the "m" of "ms".
            if (u.suffix == "m" && rest.starts_with("ms"))
                continue;
            found = i;
            break;
        }
        if (found == kUnits.size())
            return fail("bad duration " + quoted + ": missing or unknown unit (use ms, s, m, h, d, w or y)");
        if (found < nextUnit)
            return fail("bad duration " + quoted + ": units must go from largest to smallest, each once");
        nextUnit = found + 1;
        const std::int64_t ms = kUnits[found].ms;
        if (value > (std::numeric_limits<std::int64_t>::max() - total) / ms)
            return fail("duration " + quoted + " is too large");
        total += value * ms;
        pos += kUnits[found].suffix.size();
    }
    return Duration{total};
}

std::string formatDuration(Duration d)
{
    std::int64_t ms = d.count();
    if (ms == 0)
        return "0s";
    std::string out;
    if (ms < 0) {
        out = "-";
        ms = -ms;
    }
    for (const auto &u : kUnits) {
        if (ms >= u.ms) {
            out += std::to_string(ms / u.ms);
            out += u.suffix;
            ms %= u.ms;
        }
    }
    return out;
}

} // namespace pulse
