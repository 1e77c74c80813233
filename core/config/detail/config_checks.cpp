// Syntax checks for names, JSON pointers and credential-like keys, and did-you-mean hints.
#include "core/config/detail/config_checks.h"

#include "core/base/did_you_mean.h"

#include <algorithm>
#include <cctype>

namespace pulse::detail {

bool isValidJsonPointer(std::string_view pointer)
{
    if (pointer.empty())
        return true;
    if (pointer[0] != '/')
        return false;
    for (std::size_t i = 0; i < pointer.size(); ++i) {
        if (pointer[i] == '~' && (i + 1 == pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1')))
            return false;
    }
    return true;
}

std::string suggestion(std::string_view word, std::span<const std::string_view> candidates)
{
    if (const auto best = closestMatch(word, candidates))
        return "; did you mean '" + std::string(*best) + "'?";
    return {};
}

} // namespace pulse::detail
