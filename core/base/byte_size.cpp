// Byte sizes with 1024-based units (see byte_size.h).
#include "core/base/byte_size.h"

#include <array>
#include <charconv>
#include <limits>
#include <utility>

namespace pulse {

namespace {

constexpr std::array<std::pair<std::string_view, int>, 9> kUnits{{{"B", 0},
                                                                   {"KB", 10},
                                                                   {"KiB", 10},
                                                                   {"MB", 20},
                                                                   {"MiB", 20},
                                                                   {"GB", 30},
                                                                   {"GiB", 30},
                                                                   {"TB", 40},
                                                                   {"TiB", 40}}};

} // namespace

Result<std::uint64_t> parseByteSize(std::string_view text)
{
    std::uint64_t number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec == std::errc::result_out_of_range)
        return fail("size '" + std::string(text) + "' is too large");
    if (ec != std::errc() || end == text.data())
        return fail("bad size '" + std::string(text) + "': expected a whole number and a unit, e.g. 2GiB or 500MB");
    const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
    int shift = -1;
    if (unit.empty())
        shift = 0;
    for (const auto &[name, bits] : kUnits)
        if (unit == name)
            shift = bits;
    if (shift < 0)
        return fail("bad size '" + std::string(text) + "': unknown unit '" + std::string(unit) +
                    "' (use B, KB, MB, GB or TB; KiB, MiB, GiB, TiB mean the same)");
    if (number > (std::numeric_limits<std::uint64_t>::max() >> shift))
        return fail("size '" + std::string(text) + "' is too large");
    return number << shift;
}

std::string formatByteSize(std::uint64_t bytes)
{
    static constexpr std::array<std::pair<const char *, int>, 4> kWritten{
        {{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}}};
    for (const auto &[name, bits] : kWritten) {
        const std::uint64_t unit = std::uint64_t{1} << bits;
        if (bytes != 0 && bytes % unit == 0)
            return std::to_string(bytes / unit) + name;
    }
    return std::to_string(bytes) + "B";
}

} // namespace pulse
