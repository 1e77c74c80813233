// Helpers on evaluation values: label-set signatures and the duplicate-label-set check.
#include "core/promql/value.h"

#include <algorithm>

namespace pulse::promql {

std::string signatureOf(const Labels &labels)
{
    std::string sig;
    for (const auto &l : labels) {
        sig += l.name;
        sig += '\xff';
        sig += l.value;
        sig += '\xfe';
    }
    return sig;
}

void checkUniqueLabelSets(const InstantVector &vector)
{
    if (vector.size() < 2)
        return;
    std::vector<const Labels *> sorted;
    sorted.reserve(vector.size());
    for (const auto &e : vector)
        sorted.push_back(&e.labels);
    std::sort(sorted.begin(), sorted.end(), [](const Labels *a, const Labels *b) { return *a < *b; });
    for (std::size_t i = 1; i < sorted.size(); ++i) {
        if (*sorted[i] == *sorted[i - 1])
            throwEvalError("vector cannot contain metrics with the same labelset");
    }
}

} // namespace pulse::promql
