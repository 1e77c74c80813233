// enumFromName / enumName: the names a file gives an enum's values, kept in one array in enum order.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace pulse {

/// enumName is the name of `value` in `names` (an array in enum order, so a value indexes its name).
template <class Enum, std::size_t N>
constexpr std::string_view enumName(const std::array<std::string_view, N> &names, Enum value)
{
    return names.at(static_cast<std::size_t>(value));
}

/// enumFromName is the value `name` names in `names`, if any.
template <class Enum, std::size_t N>
constexpr std::optional<Enum> enumFromName(const std::array<std::string_view, N> &names, std::string_view name)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i] == name)
            return static_cast<Enum>(i);
    }
    return std::nullopt;
}

} // namespace pulse
