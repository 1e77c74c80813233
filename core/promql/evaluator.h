// Evaluator: computes a PromQL AST at one evaluation timestamp over a HistoryReader.
#pragma once

#include "core/base/history_reader.h"
#include "core/promql/ast.h"
#include "core/promql/operations.h"
#include "core/promql/value.h"

#include <cstdint>
#include <climits>
#include <map>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

namespace pulse::promql {

/// EvalSettings are fixed for one query.
struct EvalSettings {
    std::int64_t queryStartMs = 0; ///< what @ start() means
    std::int64_t queryEndMs = 0;   ///< what @ end() means
    std::int64_t lookbackDeltaMs = 5 * 60 * 1000;
    std::int64_t defaultSubqueryStepMs = 60 * 1000;
    std::int64_t queryStepMs = 0; ///< a range query's step; 0 for an instant query
    std::size_t maxSamples = 50'000'000; ///< loaded by all selectors together (EngineOptions::maxSamples)
};

/// Evaluator answers eval(expr, t) for any t in the query's range. prefetch() must run first: it
/// loads, once per selector, every sample the query can touch, so that a range query does not hit
/// the HistoryReader once per step.
///
/// Semantics follow Prometheus 2.42: instant selectors look back `lookbackDeltaMs` and stop at
/// staleness markers; range selectors and subquery windows are closed intervals [t - range, t];
/// `@` pins a selector or subquery to an absolute time regardless of the evaluation time.
///
/// Errors throw EvalError (see value.h); Engine catches them.
class Evaluator {
public:
    Evaluator(const HistoryReader &reader, EvalSettings settings);

    void prefetch(const Expr &root);
    Value eval(const Expr &expr, std::int64_t t);

    InstantVector evalVector(const Expr &expr, std::int64_t t);
    double evalScalar(const Expr &expr, std::int64_t t);

private:
    struct SelectorData {
        std::vector<SeriesData> series;
        std::vector<Labels> labels;       ///< per series, with __name__
        std::vector<Labels> labelsNoName; ///< per series, without it (what range functions return)
        bool uniqueNoName = true;         ///< no two series share labelsNoName: no per-step check
        std::int64_t minMs = 0;
        std::int64_t maxMs = 0;
        bool planned = false;
        std::optional<StepWindows> windows; ///< when only the range query's step windows are read
        // Range functions: per series, the first sample at or after the last window's start. A range
        // query's windows only move forward, so each step starts from there instead of a binary search
        // over the whole series; a window that starts earlier (subqueries) starts over.
        std::vector<std::size_t> cursor;
        std::int64_t cursorFromMs = INT64_MIN;
        // rate/increase/delta at consecutive steps: per series, the window [begin, end) as of the last
        // step and how many of its samples are irregular (a staleness marker, or lower than the sample
        // before: a counter reset). Samples enter and leave once, and a regular window is answered
        // from its two ends without visiting the samples between them.
        struct Sliding {
            std::size_t begin = 0;
            std::size_t end = 0;
            std::size_t irregular = 0;
        };
        std::vector<Sliding> sliding;
    };

    // plan records the time range each selector reads; `atSteps`: the expression is evaluated at the
    // range query's steps only (not inside a subquery), so its selectors may read just their windows.
    void plan(const Expr &expr, std::int64_t minT, std::int64_t maxT, bool atSteps);
    void planSelector(const VectorSelector &vs, std::int64_t fromMs, std::int64_t toMs,
                      std::optional<StepWindows> windows);
    std::optional<StepWindows> stepWindows(const VectorSelector &vs, std::int64_t widthMs, bool atSteps) const;
    std::int64_t referenceTime(const AtModifier &at, std::int64_t offsetMs, std::int64_t t) const;

    InstantVector selectInstant(const VectorSelector &vs, std::int64_t t, bool sampleTimes);
    RangeVector selectRange(const VectorSelector &vs, std::int64_t fromMs, std::int64_t toMs);
    RangeVector evalSubquery(const SubqueryExpr &sq, std::int64_t t);
    Value evalUnary(const UnaryExpr &unary, std::int64_t t);
    Value evalCall(const Call &call, std::int64_t t);
    Value evalRangeCall(const Call &call, std::size_t matrixIndex, std::int64_t t);
    // evalRangeCall's parts (range_call.cpp).
    InstantVector selectorRangeCall(std::string_view name, const Expr &arg, const MatrixSelector &ms,
                                    const std::vector<double> &scalars, std::int64_t t);
    InstantVector subqueryRangeCall(std::string_view name, const Expr &arg, const SubqueryExpr &sq,
                                    const std::vector<double> &scalars, std::int64_t t);
    InstantVector avgOverTimeAt(SelectorData &data, std::int64_t from, std::int64_t ref, std::int64_t t);
    /// slidingWindowValue evaluates series i's window in place when it holds no staleness marker
    /// (appending to `out` if the function has a value); false: the caller copies the window instead.
    /// Both run per series and step, and are inlined into those loops (defined in range_call.cpp, the one
    /// file that calls them): as calls, sum(rate(x[5m])) over a day looked ~7 % slower in a first
    /// comparison (storage_bench sum_rate_raw_ms); inlined, eight alternating runs of the old and new
    /// builds give the same median (10.0 ms).
    [[gnu::always_inline]] inline bool slidingWindowValue(SelectorData &data, std::size_t i, std::size_t cursor,
                                                          RangeFunction function, std::int64_t ref, std::int64_t range,
                                                          std::int64_t t, InstantVector &out);
    /// advanceCursor moves series i's cursor to its first sample at or after `from`.
    [[gnu::always_inline]] static inline std::size_t advanceCursor(SelectorData &data, std::size_t i, std::int64_t from);
    Value evalAggregate(const AggregateExpr &agg, std::int64_t t);

    const HistoryReader &m_reader;
    EvalSettings m_settings;
    std::unordered_map<const VectorSelector *, SelectorData> m_data;
    std::unordered_map<const SubqueryExpr *, std::map<std::int64_t, Value>> m_subqueryCache;
    std::vector<Point> m_window; ///< scratch for one series' window (evalRangeCall)
    // Scratch for avg_over_time over a selector (evalRangeCall): each series' values in its window.
    std::vector<std::span<const double>> m_valueSpans;
    std::vector<std::size_t> m_spanSeries;
    std::vector<std::optional<double>> m_spanResults;
    std::unordered_map<const AggregateExpr *, GroupingCache> m_groupings; ///< per aggregation node, across steps
};

} // namespace pulse::promql
