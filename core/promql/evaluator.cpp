// PromQL evaluation at one timestamp: selectors, subqueries, and dispatch to the operations.
#include "core/promql/evaluator.h"

#include "core/promql/function_catalog.h"
#include "core/promql/operations.h"
#include "core/promql/overloaded.h"

#include <algorithm>
#include <limits>
#include <map>

namespace pulse::promql {
namespace {

constexpr std::int64_t kMaxSubquerySteps = 1'000'000;

// alignedStart is the first multiple of `step` at or after `from`, as Prometheus aligns subquery steps.
std::int64_t alignedStart(std::int64_t from, std::int64_t step)
{
    std::int64_t start = step * (from / step); // truncates toward zero, like Go
    if (start < from)
        start += step;
    return start;
}

} // namespace

Evaluator::Evaluator(const HistoryReader &reader, EvalSettings settings)
    : m_reader(reader)
    , m_settings(settings)
{
}

std::int64_t Evaluator::referenceTime(const AtModifier &at, std::int64_t offsetMs, std::int64_t t) const
{
    switch (at.kind) {
    case AtModifier::Kind::None: return t - offsetMs;
    case AtModifier::Kind::Timestamp: return at.timestampMs - offsetMs;
    case AtModifier::Kind::Start: return m_settings.queryStartMs - offsetMs;
    case AtModifier::Kind::End: return m_settings.queryEndMs - offsetMs;
    }
    return t - offsetMs;
}

void Evaluator::prefetch(const Expr &root)
{
    plan(root, m_settings.queryStartMs, m_settings.queryEndMs, m_settings.queryStepMs > 0);
    std::size_t loaded = 0;
    for (auto &[selector, data] : m_data) {
        auto result = data.windows ? m_reader.selectWindows(selector->matchers, data.minMs, data.maxMs, *data.windows)
                                   : m_reader.select(selector->matchers, data.minMs, data.maxMs);
        if (!result)
            throwEvalError(result.error().message);
        for (const SeriesData &s : *result)
            loaded += s.values.size();
        if (loaded > m_settings.maxSamples) {
            // Prometheus's wording, so the message searches to the same answers.
            throwEvalError("query processing would load too many samples into memory in query execution (more "
                           "than " + std::to_string(m_settings.maxSamples)
                           + "): narrow the selectors, shorten the range or raise the step");
        }
        data.series = std::move(*result);
        data.labels.clear();
        data.labelsNoName.clear();
        data.labelsNoName.reserve(data.series.size());
        data.labels.reserve(data.series.size());
        for (const auto &s : data.series) {
            data.labelsNoName.push_back(s.labels); // SeriesData's labels come without __name__
            Labels l = s.labels;
            l.set(kMetricNameLabel, s.metric);
            data.labels.push_back(std::move(l));
        }
        std::vector<const Labels *> sets;
        sets.reserve(data.labelsNoName.size());
        for (const Labels &l : data.labelsNoName)
            sets.push_back(&l);
        data.uniqueNoName = !hasDuplicateLabelSets(std::move(sets));
    }
}

void Evaluator::planSelector(const VectorSelector &vs, std::int64_t fromMs, std::int64_t toMs,
                             std::optional<StepWindows> windows)
{
    SelectorData &data = m_data[&vs];
    if (!data.planned) {
        data.minMs = fromMs;
        data.maxMs = toMs;
        data.windows = windows;
        data.planned = true;
    } else {
        data.minMs = std::min(data.minMs, fromMs);
        data.maxMs = std::max(data.maxMs, toMs);
        data.windows.reset(); // defensive (prefetch plans each node once): two plans are not one set of windows
    }
}

std::optional<StepWindows> Evaluator::stepWindows(const VectorSelector &vs, std::int64_t widthMs, bool atSteps) const
{
    // Only a selector read at the query's own steps (shifted by its offset) has windows; with @ it is
    // read at one time, and windows as wide as the step leave no gaps worth skipping.
    // Steps beyond the stored range (±10^15 ms) would overflow the windows' arithmetic; they have one step.
    constexpr std::int64_t kMaxWindowStepMs = 1'000'000'000'000'000;
    if (!atSteps || vs.at.kind != AtModifier::Kind::None || widthMs >= m_settings.queryStepMs ||
        m_settings.queryStepMs > kMaxWindowStepMs)
        return std::nullopt;
    return StepWindows{m_settings.queryStartMs - vs.offsetMs, m_settings.queryEndMs - vs.offsetMs,
                       m_settings.queryStepMs, widthMs};
}

void Evaluator::plan(const Expr &expr, std::int64_t minT, std::int64_t maxT, bool atSteps)
{
    std::visit(Overloaded{
                   [](const NumberLiteral &) {},
                   [](const StringLiteral &) {},
                   [&](const VectorSelector &vs) {
                       const std::int64_t lo = referenceTime(vs.at, vs.offsetMs, minT);
                       const std::int64_t hi = referenceTime(vs.at, vs.offsetMs, maxT);
                       planSelector(vs, lo - m_settings.lookbackDeltaMs, hi,
                                    stepWindows(vs, m_settings.lookbackDeltaMs, atSteps));
                   },
                   [&](const MatrixSelector &ms) {
                       const std::int64_t lo = referenceTime(ms.selector.at, ms.selector.offsetMs, minT);
                       const std::int64_t hi = referenceTime(ms.selector.at, ms.selector.offsetMs, maxT);
                       planSelector(ms.selector, lo - ms.rangeMs, hi, stepWindows(ms.selector, ms.rangeMs, atSteps));
                   },
                   [&](const SubqueryExpr &sq) {
                       const std::int64_t lo = referenceTime(sq.at, sq.offsetMs, minT);
                       const std::int64_t hi = referenceTime(sq.at, sq.offsetMs, maxT);
                       plan(*sq.expr, lo - sq.rangeMs, hi, false);
                   },
                   [&](const ParenExpr &p) { plan(*p.expr, minT, maxT, atSteps); },
                   [&](const UnaryExpr &u) { plan(*u.expr, minT, maxT, atSteps); },
                   [&](const BinaryExpr &b) {
                       plan(*b.lhs, minT, maxT, atSteps);
                       plan(*b.rhs, minT, maxT, atSteps);
                   },
                   [&](const AggregateExpr &a) {
                       if (a.param)
                           plan(*a.param, minT, maxT, atSteps);
                       plan(*a.expr, minT, maxT, atSteps);
                   },
                   [&](const Call &c) {
                       for (const auto &arg : c.args)
                           plan(*arg, minT, maxT, atSteps);
                   },
               },
               expr.node);
}

InstantVector Evaluator::selectInstant(const VectorSelector &vs, std::int64_t t, bool sampleTimes)
{
    const SelectorData &data = m_data.at(&vs);
    const std::int64_t ref = referenceTime(vs.at, vs.offsetMs, t);
    InstantVector out;
    for (std::size_t i = 0; i < data.series.size(); ++i) {
        const auto &ts = data.series[i].timestampsMs;
        auto it = std::upper_bound(ts.begin(), ts.end(), ref);
        if (it == ts.begin())
            continue;
        --it;
        if (*it < ref - m_settings.lookbackDeltaMs)
            continue;
        const double v = data.series[i].values[static_cast<std::size_t>(it - ts.begin())];
        if (isStaleMarker(v))
            continue;
        out.push_back(Element{data.labels[i], v, sampleTimes ? *it : t});
    }
    return out;
}

RangeVector Evaluator::selectRange(const VectorSelector &vs, std::int64_t fromMs, std::int64_t toMs)
{
    const SelectorData &data = m_data.at(&vs);
    RangeVector out;
    for (std::size_t i = 0; i < data.series.size(); ++i) {
        const auto &ts = data.series[i].timestampsMs;
        const auto &values = data.series[i].values;
        auto first = std::lower_bound(ts.begin(), ts.end(), fromMs);
        RangeSeries series;
        for (auto it = first; it != ts.end() && *it <= toMs; ++it) {
            const double v = values[static_cast<std::size_t>(it - ts.begin())];
            if (!isStaleMarker(v))
                series.points.push_back(Point{*it, v});
        }
        if (series.points.empty())
            continue;
        series.labels = data.labels[i];
        out.push_back(std::move(series));
    }
    return out;
}

RangeVector Evaluator::evalSubquery(const SubqueryExpr &sq, std::int64_t t)
{
    const std::int64_t ref = referenceTime(sq.at, sq.offsetMs, t);
    const std::int64_t step = sq.stepMs > 0 ? sq.stepMs : m_settings.defaultSubqueryStepMs;
    if (sq.rangeMs / step > kMaxSubquerySteps)
        throwEvalError("subquery [" + std::to_string(sq.rangeMs) + "ms:" + std::to_string(step) +
                       "ms] would evaluate more than " + std::to_string(kMaxSubquerySteps) + " steps");
    const std::int64_t first = alignedStart(ref - sq.rangeMs, step);
    // Inner results depend only on their timestamp, and consecutive evaluations of a range query
    // share most of their window: keep them, dropping the ones before the current window.
    auto &cache = m_subqueryCache[&sq];
    cache.erase(cache.begin(), cache.lower_bound(first));
    RangeVector out;
    std::map<std::string, std::size_t> index;
    for (std::int64_t ts = first; ts <= ref; ts += step) {
        auto cached = cache.find(ts);
        if (cached == cache.end())
            cached = cache.emplace(ts, eval(*sq.expr, ts)).first;
        Value v = cached->second;
        if (const double *scalar = std::get_if<double>(&v)) {
            if (out.empty())
                out.push_back(RangeSeries{});
            out.front().points.push_back(Point{ts, *scalar});
            continue;
        }
        for (auto &e : std::get<InstantVector>(v)) {
            const std::string sig = signatureOf(e.labels);
            auto [it, inserted] = index.emplace(sig, out.size());
            if (inserted)
                out.push_back(RangeSeries{std::move(e.labels), {}});
            out[it->second].points.push_back(Point{ts, e.value});
        }
    }
    return out;
}

Value Evaluator::eval(const Expr &expr, std::int64_t t)
{
    return std::visit(
        Overloaded{
            [](const NumberLiteral &n) -> Value { return n.value; },
            [](const StringLiteral &s) -> Value { return s.value; },
            [&](const VectorSelector &vs) -> Value { return selectInstant(vs, t, false); },
            [&](const MatrixSelector &ms) -> Value {
                const std::int64_t ref = referenceTime(ms.selector.at, ms.selector.offsetMs, t);
                return selectRange(ms.selector, ref - ms.rangeMs, ref);
            },
            [&](const SubqueryExpr &sq) -> Value { return evalSubquery(sq, t); },
            [&](const ParenExpr &p) -> Value { return eval(*p.expr, t); },
            [&](const UnaryExpr &u) -> Value { return evalUnary(u, t); },
            [&](const BinaryExpr &b) -> Value {
                Value lhs = eval(*b.lhs, t);
                Value rhs = eval(*b.rhs, t);
                Value result = evalBinary(b, std::move(lhs), std::move(rhs), t);
                if (const auto *v = std::get_if<InstantVector>(&result))
                    checkUniqueLabelSets(*v);
                return result;
            },
            [&](const AggregateExpr &a) -> Value { return evalAggregate(a, t); },
            [&](const Call &c) -> Value { return evalCall(c, t); },
        },
        expr.node);
}

InstantVector Evaluator::evalVector(const Expr &expr, std::int64_t t)
{
    Value v = eval(expr, t);
    if (auto *vec = std::get_if<InstantVector>(&v))
        return std::move(*vec);
    throwEvalError("expected an instant vector");
}

double Evaluator::evalScalar(const Expr &expr, std::int64_t t)
{
    Value v = eval(expr, t);
    if (const double *s = std::get_if<double>(&v))
        return *s;
    throwEvalError("expected a scalar");
}

Value Evaluator::evalUnary(const UnaryExpr &unary, std::int64_t t)
{
    Value v = eval(*unary.expr, t);
    if (double *s = std::get_if<double>(&v))
        return -*s;
    auto &vec = std::get<InstantVector>(v);
    for (auto &e : vec) {
        e.labels.remove(kMetricNameLabel);
        e.value = -e.value;
    }
    checkUniqueLabelSets(vec);
    return v;
}

Value Evaluator::evalAggregate(const AggregateExpr &agg, std::int64_t t)
{
    double param = 0;
    std::string label;
    if (agg.param) {
        Value p = eval(*agg.param, t);
        if (const double *s = std::get_if<double>(&p))
            param = *s;
        else if (const auto *str = std::get_if<std::string>(&p))
            label = *str;
    }
    const InstantVector input = evalVector(*agg.expr, t);
    return aggregate(agg, input, param, label, t, &m_groupings[&agg]);
}

Value Evaluator::evalCall(const Call &call, std::int64_t t)
{
    for (std::size_t i = 0; i < call.args.size(); ++i) {
        if (call.args[i]->type() == ValueType::Matrix)
            return evalRangeCall(call, i, t);
    }
    if (call.func->name == "timestamp") {
        const Expr &arg = unwrapParens(*call.args[0]);
        InstantVector vec;
        if (const auto *vs = std::get_if<VectorSelector>(&arg.node))
            vec = selectInstant(*vs, t, true);
        else
            vec = evalVector(arg, t);
        for (auto &e : vec) {
            e.labels.remove(kMetricNameLabel);
            e.value = static_cast<double>(e.timestampMs) / 1000.0;
            e.timestampMs = t;
        }
        checkUniqueLabelSets(vec);
        return vec;
    }
    std::vector<Value> args;
    args.reserve(call.args.size());
    for (const auto &arg : call.args)
        args.push_back(eval(*arg, t));
    Value result = evalInstantFunction(call, args, t);
    if (const auto *v = std::get_if<InstantVector>(&result))
        checkUniqueLabelSets(*v);
    return result;
}

} // namespace pulse::promql
