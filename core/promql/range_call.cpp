// Range-vector function calls (rate, *_over_time, …) for the Evaluator: over a matrix selector, read
// in place from the prefetched samples with a cursor per series that slides with the steps; over a
// subquery, from its evaluated points.
#include "core/promql/evaluator.h"
#include "core/promql/function_catalog.h"
#include "core/promql/operations.h"

#include <algorithm>

namespace pulse::promql {

namespace {

// irregularAt: sample i is a staleness marker or lower than the one before it (see Sliding).
std::size_t irregularAt(const std::vector<double> &values, std::size_t i)
{
    return isStaleMarker(values[i]) || (i > 0 && values[i] < values[i - 1]) ? 1 : 0;
}

} // namespace

std::size_t Evaluator::advanceCursor(SelectorData &data, std::size_t i, std::int64_t from)
{
    const auto &ts = data.series[i].timestampsMs;
    std::size_t &cursor = data.cursor[i];
    for (int hops = 0; cursor < ts.size() && ts[cursor] < from; ++cursor) {
        if (++hops == 8) { // far behind (the first step, or long steps): search the rest
            cursor = static_cast<std::size_t>(
                std::lower_bound(ts.begin() + static_cast<std::ptrdiff_t>(cursor), ts.end(), from) - ts.begin());
            break;
        }
    }
    return cursor;
}

Value Evaluator::evalRangeCall(const Call &call, std::size_t matrixIndex, std::int64_t t)
{
    std::vector<double> scalars;
    for (std::size_t i = 0; i < call.args.size(); ++i) {
        if (i != matrixIndex)
            scalars.push_back(evalScalar(*call.args[i], t));
    }
    const Expr &arg = unwrapParens(*call.args[matrixIndex]);
    if (const auto *ms = std::get_if<MatrixSelector>(&arg.node))
        return selectorRangeCall(call.func->name, arg, *ms, scalars, t);
    const auto *sq = std::get_if<SubqueryExpr>(&arg.node);
    if (!sq)
        throwEvalError("function \"" + std::string(call.func->name) + "\" needs a range vector selector or subquery");
    return subqueryRangeCall(call.func->name, arg, *sq, scalars, t);
}

InstantVector Evaluator::selectorRangeCall(std::string_view name, const Expr &arg, const MatrixSelector &ms,
                                           const std::vector<double> &scalars, std::int64_t t)
{
    // The common case (rate(x[5m]) at every step of a range): each series' window is read from the
    // prefetched samples into one scratch vector; no range vector, no label copies but the shared
    // ones of the result.
    const std::int64_t ref = referenceTime(ms.selector.at, ms.selector.offsetMs, t);
    const std::int64_t range = ms.rangeMs;
    SelectorData &data = m_data.at(&ms.selector);
    const std::int64_t from = ref - range;
    if (data.cursor.size() != data.series.size() || from < data.cursorFromMs) {
        data.cursor.assign(data.series.size(), 0);
        data.sliding.assign(data.series.size(), SelectorData::Sliding{});
    }
    data.cursorFromMs = from;
    const bool keepName = name == "last_over_time";
    const bool absent = name == "absent_over_time";
    const std::optional<RangeFunction> found = absent ? std::nullopt : rangeFunctionOf(name);
    if (!absent && !found)
        throwEvalError("function \"" + std::string(name) + "\" is not supported");
    const RangeFunction function = found.value_or(RangeFunction::CountOverTime); // unused when absent
    if (!absent && function == RangeFunction::AvgOverTime)
        return avgOverTimeAt(data, from, ref, t);
    InstantVector out;
    const bool inPlace = !absent && hasArrayForm(function);
    for (std::size_t i = 0; i < data.series.size(); ++i) {
        const std::size_t cursor = advanceCursor(data, i, from);
        if (inPlace && slidingWindowValue(data, i, cursor, function, ref, range, t, out))
            continue;
        const auto &ts = data.series[i].timestampsMs;
        const auto &values = data.series[i].values;
        m_window.clear();
        for (auto it = ts.begin() + static_cast<std::ptrdiff_t>(cursor); it != ts.end() && *it <= ref; ++it) {
            const double v = values[static_cast<std::size_t>(it - ts.begin())];
            if (!isStaleMarker(v))
                m_window.push_back(Point{*it, v});
        }
        if (m_window.empty())
            continue;
        if (absent)
            return out; // a series has samples in the window: nothing is absent
        const RangeWindow window{m_window, ref - range, ref, t};
        const auto value = promql::evalRangeFunction(function, window, scalars);
        if (!value)
            continue;
        out.push_back(Element{keepName ? data.labels[i] : data.labelsNoName[i], *value, t});
    }
    if (absent)
        out.push_back(Element{absentLabels(arg), 1, t});
    else if (keepName || !data.uniqueNoName)
        checkUniqueLabelSets(out);
    return out;
}

bool Evaluator::slidingWindowValue(SelectorData &data, std::size_t i, std::size_t cursor, RangeFunction function,
                                   std::int64_t ref, std::int64_t range, std::int64_t t, InstantVector &out)
{
    const auto &ts = data.series[i].timestampsMs;
    const auto &values = data.series[i].values;
    SelectorData::Sliding &w = data.sliding[i];
    if (cursor < w.begin || cursor > w.end || (w.end > cursor && ts[w.end - 1] > ref))
        w = SelectorData::Sliding{cursor, cursor, 0};
    for (; w.begin < cursor; ++w.begin)
        w.irregular -= irregularAt(values, w.begin);
    for (; w.end < ts.size() && ts[w.end] <= ref; ++w.end)
        w.irregular += irregularAt(values, w.end);
    // Irregular samples are resets or markers; with markers the window is copied without them (the
    // caller's loop), with resets only the function walks it, without either it reads two ends.
    const auto first = values.begin() + static_cast<std::ptrdiff_t>(cursor);
    const auto last = values.begin() + static_cast<std::ptrdiff_t>(w.end);
    if (w.irregular != 0 && std::any_of(first, last, isStaleMarker))
        return false;
    const std::span<const std::int64_t> windowTs(ts.data() + cursor, w.end - cursor);
    const std::span<const double> windowValues(values.data() + cursor, w.end - cursor);
    if (const auto value = evalRangeFunction(function, windowTs, windowValues, ref - range, ref, w.irregular == 0))
        out.push_back(Element{data.labelsNoName[i], *value, t});
    return true;
}

InstantVector Evaluator::avgOverTimeAt(SelectorData &data, std::int64_t from, std::int64_t ref, std::int64_t t)
{
    // No window copies: the values are read in place, several series at a time.
    m_valueSpans.clear();
    m_spanSeries.clear();
    for (std::size_t i = 0; i < data.series.size(); ++i) {
        const auto &ts = data.series[i].timestampsMs;
        const auto begin = ts.begin() + static_cast<std::ptrdiff_t>(advanceCursor(data, i, from));
        const auto end = std::upper_bound(begin, ts.end(), ref);
        if (begin == end)
            continue;
        m_valueSpans.emplace_back(data.series[i].values.data() + (begin - ts.begin()),
                                  static_cast<std::size_t>(end - begin));
        m_spanSeries.push_back(i);
    }
    m_spanResults.assign(m_valueSpans.size(), std::nullopt);
    avgOverTimeInterleaved(m_valueSpans, m_spanResults);
    InstantVector out;
    for (std::size_t k = 0; k < m_spanResults.size(); ++k) {
        if (m_spanResults[k])
            out.push_back(Element{data.labelsNoName[m_spanSeries[k]], *m_spanResults[k], t});
    }
    if (!data.uniqueNoName)
        checkUniqueLabelSets(out);
    return out;
}

InstantVector Evaluator::subqueryRangeCall(std::string_view name, const Expr &arg, const SubqueryExpr &sq,
                                           const std::vector<double> &scalars, std::int64_t t)
{
    const std::int64_t ref = referenceTime(sq.at, sq.offsetMs, t);
    const std::int64_t range = sq.rangeMs;
    RangeVector matrix = evalSubquery(sq, t);
    InstantVector out;
    if (name == "absent_over_time") {
        if (matrix.empty())
            out.push_back(Element{absentLabels(arg), 1, t});
        return out;
    }
    for (auto &series : matrix) {
        const RangeWindow window{series.points, ref - range, ref, t};
        const auto value = promql::evalRangeFunction(name, window, scalars);
        if (!value)
            continue;
        Labels labels = std::move(series.labels);
        if (name != "last_over_time")
            labels.remove(kMetricNameLabel);
        out.push_back(Element{std::move(labels), *value, t});
    }
    checkUniqueLabelSets(out);
    return out;
}

} // namespace pulse::promql
