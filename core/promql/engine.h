// Engine: the PromQL query API (instant and range queries) over a HistoryReader.
#pragma once

#include "core/base/error.h"
#include "core/base/history_reader.h"
#include "core/base/labels.h"
#include "core/promql/ast.h"
#include "core/promql/parser.h"
#include "core/promql/prepared_query.h"

#include <climits>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pulse::promql {

struct EngineOptions {
    /// lookbackDeltaMs: how far back an instant selector looks for the latest sample.
    std::int64_t lookbackDeltaMs = 5 * 60 * 1000;
    /// defaultSubqueryStepMs: the step of `[5m:]` subqueries without their own step.
    std::int64_t defaultSubqueryStepMs = 60 * 1000;
    /// maxSteps bounds a range query's number of steps (Prometheus allows 11,000).
    std::int64_t maxSteps = 11000;
    /// maxSamples bounds the samples one query loads from the history (Prometheus's
    /// --query.max-samples, 50 million by default): counted after each selector's read, so a query
    /// over it fails with a clear error before evaluating (the read that crosses it is still made).
    std::size_t maxSamples = 50'000'000;
};

/// Sample is one element of an instant-vector result.
struct Sample {
    std::string metric; ///< empty when the expression dropped the name
    Labels labels;      ///< without __name__
    double value = 0;
    std::int64_t timestampMs = 0;
};

struct SeriesPoint {
    std::int64_t timestampMs = 0;
    double value = 0;
};

/// Series is one series of a range-vector or range-query result.
struct Series {
    std::string metric;
    Labels labels;
    std::vector<SeriesPoint> points;
};

struct QueryResult {
    enum class Type { Scalar, Vector, Matrix, String };
    Type type = Type::Vector;
    double scalar = 0;          ///< Type::Scalar
    std::int64_t timestampMs = 0; ///< evaluation time of an instant query
    std::string string;         ///< Type::String
    std::vector<Sample> vector; ///< Type::Vector, in evaluation order (sort()/topk() order is kept)
    std::vector<Series> matrix; ///< Type::Matrix, sorted by labels for range queries
};

/// Engine evaluates PromQL with Prometheus 2.42 semantics. It holds no per-query state, so one
/// Engine may serve queries from several threads if the HistoryReader allows it.
class Engine {
public:
    explicit Engine(const HistoryReader &reader, EngineOptions options = {});

    /// prepare parses an expression once for many evaluations (PreparedQuery::prepare).
    static Result<PreparedQuery> prepare(std::string_view expr) { return PreparedQuery::prepare(expr); }

    /// instantQuery evaluates a prepared query at one time. Any result type is possible.
    Result<QueryResult> instantQuery(const PreparedQuery &query, std::int64_t timeMs) const;
    /// rangeQuery evaluates a prepared query at start, start+step, … ≤ end; the expression must yield
    /// a scalar or an instant vector, and the result is a Matrix.
    Result<QueryResult> rangeQuery(const PreparedQuery &query, std::int64_t startMs, std::int64_t endMs,
                                   std::int64_t stepMs) const;
    /// The text forms prepare, then evaluate: for one-off queries (pulsectl query, tests).
    Result<QueryResult> instantQuery(std::string_view expr, std::int64_t timeMs) const;
    Result<QueryResult> rangeQuery(std::string_view expr, std::int64_t startMs, std::int64_t endMs,
                                   std::int64_t stepMs) const;

    /// Every public function is a boundary: nothing thrown inside reaches the caller; an unexpected
    /// exception comes back as an Error naming the query.

private:
    template <class Fn>
    Result<QueryResult> guarded(const PreparedQuery &query, Fn &&evaluate) const;
    Result<QueryResult> evalInstant(const Expr &expr, std::int64_t timeMs) const;
    Result<QueryResult> evalRange(const PreparedQuery &query, std::int64_t startMs, std::int64_t endMs,
                                  std::int64_t stepMs) const;

    const HistoryReader &m_reader;
    EngineOptions m_options;
};

/// smallestWindowMs is PreparedQuery::smallestWindowMs of `expr`, INT64_MAX when it does not parse
/// (the query then fails on its own). A rollup tier is only read for a query whose windows hold
/// several of its buckets: rate(x[5m]) at 2-hour steps over 1-hour buckets would see one point per
/// window and answer nothing.
std::int64_t smallestWindowMs(std::string_view expr);

} // namespace pulse::promql
