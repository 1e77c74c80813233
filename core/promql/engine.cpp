// Query entry points: parse, prefetch, evaluate per step, and convert internal values to results.
#include "core/promql/engine.h"

#include "core/promql/evaluator.h"
#include "core/promql/overloaded.h"

#include <algorithm>
#include <climits>
#include <variant>
#include <map>
#include <unordered_map>

namespace pulse::promql {
namespace {

void splitName(const Labels &all, std::string &metric, Labels &labels)
{
    metric = std::string(all.value(kMetricNameLabel));
    labels = all;
    labels.remove(kMetricNameLabel);
}

Sample toSample(const Element &e)
{
    Sample s;
    splitName(e.labels, s.metric, s.labels);
    s.value = e.value;
    s.timestampMs = e.timestampMs;
    return s;
}

Series toSeries(const RangeSeries &r)
{
    Series s;
    splitName(r.labels, s.metric, s.labels);
    for (const auto &p : r.points)
        s.points.push_back(SeriesPoint{p.timestampMs, p.value});
    return s;
}

} // namespace

Engine::Engine(const HistoryReader &reader, EngineOptions options)
    : m_reader(reader)
    , m_options(options)
{
}

namespace {
std::int64_t smallestWindow(const Expr &expr)
{
    std::int64_t least = INT64_MAX;
    auto within = [&](const Expr &e) { least = std::min(least, smallestWindow(e)); };
    std::visit(Overloaded{
                   [](const NumberLiteral &) {},
                   [](const StringLiteral &) {},
                   [](const VectorSelector &) {},
                   [&](const MatrixSelector &ms) { least = std::min(least, ms.rangeMs); },
                   [&](const SubqueryExpr &sq) {
                       // The inner expression runs at the subquery's step: a tier coarser than that
                       // would leave most inner steps without a point in their look-back.
                       const std::int64_t step = sq.stepMs > 0 ? sq.stepMs : EngineOptions{}.defaultSubqueryStepMs;
                       least = std::min({least, sq.rangeMs, 4 * step});
                       within(*sq.expr);
                   },
                   [&](const ParenExpr &p) { within(*p.expr); },
                   [&](const UnaryExpr &u) { within(*u.expr); },
                   [&](const BinaryExpr &b) {
                       within(*b.lhs);
                       within(*b.rhs);
                   },
                   [&](const AggregateExpr &a) {
                       if (a.param)
                           within(*a.param);
                       within(*a.expr);
                   },
                   [&](const Call &c) {
                       for (const auto &arg : c.args)
                           within(*arg);
                   },
               },
               expr.node);
    return least;
}
} // namespace

std::int64_t smallestWindowMs(std::string_view expr)
{
    auto parsed = parse(expr);
    return parsed ? smallestWindow(**parsed) : INT64_MAX;
}

Result<QueryResult> Engine::instantQuery(std::string_view expr, std::int64_t timeMs) const
{
    auto ast = parse(expr);
    if (!ast)
        return std::unexpected(ast.error());
    EvalSettings settings{timeMs, timeMs, m_options.lookbackDeltaMs, m_options.defaultSubqueryStepMs, 0,
                          m_options.maxSamples};
    Evaluator evaluator(m_reader, settings);
    try {
        evaluator.prefetch(**ast);
        Value value = evaluator.eval(**ast, timeMs);
        QueryResult result;
        result.timestampMs = timeMs;
        if (const double *s = std::get_if<double>(&value)) {
            result.type = QueryResult::Type::Scalar;
            result.scalar = *s;
        } else if (const auto *v = std::get_if<InstantVector>(&value)) {
            result.type = QueryResult::Type::Vector;
            for (const auto &e : *v) {
                result.vector.push_back(toSample(e));
                result.vector.back().timestampMs = timeMs;
            }
        } else if (const auto *m = std::get_if<RangeVector>(&value)) {
            result.type = QueryResult::Type::Matrix;
            for (const auto &r : *m)
                result.matrix.push_back(toSeries(r));
        } else {
            result.type = QueryResult::Type::String;
            result.string = std::get<std::string>(value);
        }
        return result;
    } catch (const EvalError &error) {
        return fail(error.message);
    }
}

Result<QueryResult> Engine::rangeQuery(std::string_view expr, std::int64_t startMs, std::int64_t endMs,
                                       std::int64_t stepMs) const
{
    if (stepMs <= 0)
        return fail("zero or negative query resolution step widths are not accepted");
    if (endMs < startMs)
        return fail("end timestamp must not be before start time");
    if ((endMs - startMs) / stepMs + 1 > m_options.maxSteps)
        return fail("exceeded maximum resolution of " + std::to_string(m_options.maxSteps) +
                    " points per timeseries; try decreasing the query resolution (?step=XX)");
    auto ast = parse(expr);
    if (!ast)
        return std::unexpected(ast.error());
    const ValueType type = (*ast)->type();
    if (type != ValueType::Scalar && type != ValueType::Vector)
        return fail("invalid expression type \"" + std::string(valueTypeName(type)) +
                    "\" for range query, must be scalar or instant vector");
    EvalSettings settings{startMs, endMs, m_options.lookbackDeltaMs, m_options.defaultSubqueryStepMs, stepMs,
                          m_options.maxSamples};
    Evaluator evaluator(m_reader, settings);
    try {
        evaluator.prefetch(**ast);
        // Series by label set: hashed while stepping (most steps meet the same sets again), sorted once
        // at the end as Prometheus orders a matrix.
        std::vector<RangeSeries> series;
        std::unordered_map<Labels, std::size_t, LabelsHash> index;
        auto seriesOf = [&](const Labels &labels) -> RangeSeries & {
            const auto [it, added] = index.try_emplace(labels, series.size());
            if (added)
                series.push_back(RangeSeries{labels, {}});
            return series[it->second];
        };
        for (std::int64_t t = startMs; t <= endMs; t += stepMs) {
            Value value = evaluator.eval(**ast, t);
            if (const double *s = std::get_if<double>(&value)) {
                seriesOf(Labels{}).points.push_back(Point{t, *s});
                continue;
            }
            for (auto &e : std::get<InstantVector>(value))
                seriesOf(e.labels).points.push_back(Point{t, e.value});
        }
        std::sort(series.begin(), series.end(),
                  [](const RangeSeries &a, const RangeSeries &b) { return a.labels < b.labels; });
        QueryResult result;
        result.type = QueryResult::Type::Matrix;
        result.timestampMs = endMs;
        for (const auto &r : series)
            result.matrix.push_back(toSeries(r));
        return result;
    } catch (const EvalError &error) {
        return fail(error.message);
    }
}

} // namespace pulse::promql
