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

bool hasDuplicateLabelSets(std::vector<const Labels *> sets)
{
    std::sort(sets.begin(), sets.end(), [](const Labels *a, const Labels *b) { return *a < *b; });
    return std::adjacent_find(sets.begin(), sets.end(), [](const Labels *a, const Labels *b) { return *a == *b; }) !=
           sets.end();
}

void checkUniqueLabelSets(const InstantVector &vector)
{
    if (vector.size() < 2)
        return;
    std::vector<const Labels *> sets;
    sets.reserve(vector.size());
    for (const auto &e : vector)
        sets.push_back(&e.labels);
    if (hasDuplicateLabelSets(std::move(sets)))
        throwEvalError("vector cannot contain metrics with the same labelset");
}

} // namespace pulse::promql
