// evaluateRecordingRule: one evaluation of a recording rule (see rule_group.h).
#include "core/config/rule_group.h"

#include "core/promql/engine.h"

#include <algorithm>

namespace pulse {

Result<RecordedSeries> evaluateRecordingRule(const RecordingRuleConfig &rule, const promql::Engine &engine,
                                             std::int64_t atMs, std::vector<Labels> &lastWritten)
{
    auto result = engine.instantQuery(rule.expr, atMs);
    if (!result)
        return std::unexpected(result.error());
    if (result->type != promql::QueryResult::Type::Scalar && result->type != promql::QueryResult::Type::Vector)
        return fail("rule result is not a vector or scalar");
    RecordedSeries out;
    std::vector<Labels> written;
    auto write = [&](Labels labels, double value) {
        for (const Label &l : rule.labels)
            labels.set(l.name, l.value);
        out.samples.emplace_back(labels, value);
        written.push_back(std::move(labels));
    };
    if (result->type == promql::QueryResult::Type::Scalar)
        write(Labels{}, result->scalar);
    else
        for (const promql::Sample &s : result->vector)
            write(s.labels, s.value);
    for (const Labels &gone : lastWritten)
        if (std::find(written.begin(), written.end(), gone) == written.end())
            out.ended.push_back(gone);
    lastWritten = std::move(written);
    return out;
}

} // namespace pulse
