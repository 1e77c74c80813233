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

/// guarded is the Engine's boundary: an exception the evaluator did not turn into an EvalError (out of
/// memory, a bug) becomes an Error naming the query instead of unwinding into the caller's thread.
template <class Fn>
Result<QueryResult> Engine::guarded(const PreparedQuery &query, Fn &&evaluate) const
{
    try {
        return evaluate();
    } catch (const std::bad_alloc &) {
        return fail("internal error: out of memory while evaluating '" + query.text() + "'");
    } catch (const std::exception &e) {
        return fail("internal error while evaluating '" + query.text() + "': " + e.what());
    } catch (...) {
        return fail("internal error while evaluating '" + query.text() + "'");
    }
}

Engine::Engine(const HistoryReader &reader, EngineOptions options)
    : m_reader(reader)
    , m_options(options)
{
}


std::int64_t smallestWindowMs(std::string_view expr)
{
    auto prepared = PreparedQuery::prepare(expr);
    return prepared ? prepared->smallestWindowMs() : INT64_MAX;
}

Result<QueryResult> Engine::instantQuery(std::string_view expr, std::int64_t timeMs) const
{
    auto query = PreparedQuery::prepare(expr);
    if (!query)
        return std::unexpected(query.error());
    return instantQuery(*query, timeMs);
}

Result<QueryResult> Engine::instantQuery(const PreparedQuery &query, std::int64_t timeMs) const
{
    return guarded(query, [&] { return evalInstant(query.expr(), timeMs); });
}

Result<QueryResult> Engine::evalInstant(const Expr &expr, std::int64_t timeMs) const
{
    EvalSettings settings{timeMs, timeMs, m_options.lookbackDeltaMs, m_options.defaultSubqueryStepMs, 0,
                          m_options.maxSamples};
    Evaluator evaluator(m_reader, settings);
    try {
        evaluator.prefetch(expr);
        Value value = evaluator.eval(expr, timeMs);
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
    auto query = PreparedQuery::prepare(expr);
    if (!query)
        return std::unexpected(query.error());
    return rangeQuery(*query, startMs, endMs, stepMs);
}

Result<QueryResult> Engine::rangeQuery(const PreparedQuery &query, std::int64_t startMs, std::int64_t endMs,
                                       std::int64_t stepMs) const
{
    return guarded(query, [&] { return evalRange(query, startMs, endMs, stepMs); });
}

Result<QueryResult> Engine::evalRange(const PreparedQuery &query, std::int64_t startMs, std::int64_t endMs,
                                      std::int64_t stepMs) const
{
    if (stepMs <= 0)
        return fail("zero or negative query resolution step widths are not accepted");
    if (endMs < startMs)
        return fail("end timestamp must not be before start time");
    if ((endMs - startMs) / stepMs + 1 > m_options.maxSteps)
        return fail("exceeded maximum resolution of " + std::to_string(m_options.maxSteps) +
                    " points per timeseries; try decreasing the query resolution (?step=XX)");
    const Expr &expr = query.expr();
    const ValueType type = query.type();
    if (type != ValueType::Scalar && type != ValueType::Vector)
        return fail("invalid expression type \"" + std::string(valueTypeName(type)) +
                    "\" for range query, must be scalar or instant vector");
    EvalSettings settings{startMs, endMs, m_options.lookbackDeltaMs, m_options.defaultSubqueryStepMs, stepMs,
                          m_options.maxSamples};
    Evaluator evaluator(m_reader, settings);
    try {
        evaluator.prefetch(expr);
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
            Value value = evaluator.eval(expr, t);
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
