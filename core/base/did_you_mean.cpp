// Edit distance and nearest-candidate lookup for "did you mean" hints.
#include "core/base/did_you_mean.h"

#include <algorithm>
#include <string>
#include <vector>

namespace pulse {
namespace {

char lowerAscii(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equalIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lowerAscii(x) == lowerAscii(y); });
}

} // namespace

std::size_t editDistance(std::string_view a, std::string_view b)
{
    // Three rolling rows suffice: a swap looks two rows back.
    const std::size_t n = b.size();
    std::vector<std::size_t> twoBack(n + 1), previous(n + 1), current(n + 1);
    for (std::size_t j = 0; j <= n; ++j)
        previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= n; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                current[j] = std::min(current[j], twoBack[j - 2] + 1);
        }
        std::swap(twoBack, previous);
        std::swap(previous, current);
    }
    return previous[n];
}

std::optional<std::string_view> closestMatch(std::string_view word, std::span<const std::string_view> candidates)
{
    std::optional<std::string_view> best;
    std::size_t bestDistance = 0;
    for (std::string_view candidate : candidates) {
        if (equalIgnoringCase(word, candidate))
            return candidate;
        const std::size_t distance = editDistance(word, candidate);
        const std::size_t allowed = std::max<std::size_t>(1, std::max(word.size(), candidate.size()) / 3);
        if (distance > allowed)
            continue;
        if (!best || distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

} // namespace pulse
