// Operations the Evaluator delegates to: binary operators, aggregations and functions.
#pragma once

#include "core/promql/ast.h"
#include "core/promql/value.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace pulse::promql {

/// evalBinary applies a binary operator to evaluated operands (scalars and/or instant vectors).
Value evalBinary(const BinaryExpr &expr, Value lhs, Value rhs, std::int64_t t);

/// GroupingCache remembers, for one aggregation of a range query, each input series' group labels by
/// the identity of the series' labels (a range selector's series keep theirs across steps), and
/// interns the groups' labels so that groups are told apart by identity as well: a range query groups
/// each series once instead of building, hashing and comparing labels at every step. It keeps each
/// series' labels it met, so no identity is reused while cached; it starts over when it holds more
/// than four times an input's series (inputs whose labels are new at every step).
class GroupingCache {
public:
    /// groupOf is the interned group labels of `series` (stable until the next prepare).
    const Labels &groupOf(const Labels &series, const AggregateExpr &expr, const std::vector<std::string> &grouping);
    /// prepare starts an evaluation over `inputSize` series.
    void prepare(std::size_t inputSize);

private:
    struct Entry {
        Labels series; ///< keeps the identity taken
        const Labels *group = nullptr;
    };
    std::unordered_map<const void *, Entry> m_byIdentity;
    std::unordered_set<Labels, LabelsHash> m_interned;
};

/// aggregate runs an aggregation over one instant vector; `param` is k / q, `label` the count_values label.
/// `cache` (optional) carries the grouping from one step of a range query to the next.
InstantVector aggregate(const AggregateExpr &expr, const InstantVector &input, double param, const std::string &label,
                        std::int64_t t, GroupingCache *cache = nullptr);

/// quantileOf is Prometheus's quantile estimate (linear interpolation between closest ranks); NaN
/// for no values or a NaN q, -Inf for q < 0, +Inf for q > 1.
double quantileOf(double q, std::vector<double> values);

/// RangeWindow is one series' samples inside a range selector or subquery window at one evaluation.
struct RangeWindow {
    const std::vector<Point> &points; ///< oldest first, never empty, no staleness markers
    std::int64_t rangeStartMs = 0;    ///< window start (evaluation time - offset - range)
    std::int64_t rangeEndMs = 0;      ///< window end (evaluation time - offset)
    std::int64_t evalTimeMs = 0;      ///< the evaluation time itself
};

/// isRangeFunction is true for functions evaluated per series over a range vector.
bool isRangeFunction(std::string_view name);

/// RangeFunction is a range function looked up once by rangeFunctionOf: a range query applies it to
/// every series at every step, and looking its name up each time cost ~5 % of such a query.
enum class RangeFunction : std::uint8_t {
    Rate, Increase, Delta, Irate, Idelta, Deriv, PredictLinear, HoltWinters, Changes, Resets, AvgOverTime,
    MinOverTime, MaxOverTime, SumOverTime, CountOverTime, LastOverTime, StddevOverTime, StdvarOverTime,
    QuantileOverTime, PresentOverTime
};

/// rangeFunctionOf finds a range function by name (absent_over_time is not one: the evaluator answers it).
std::optional<RangeFunction> rangeFunctionOf(std::string_view name);

/// evalRangeFunction computes one output value for a series, or nothing (e.g. rate() of one sample).
/// `scalars` holds the function's scalar arguments in order.
std::optional<double> evalRangeFunction(RangeFunction function, const RangeWindow &window,
                                        std::span<const double> scalars);
/// The same by name; throws an evaluation error for a name that is no range function.
std::optional<double> evalRangeFunction(std::string_view name, const RangeWindow &window,
                                        std::span<const double> scalars);

/// hasArrayForm: the function can be evaluated by the overload below, on a window left in place.
bool hasArrayForm(RangeFunction function);
/// evalRangeFunction for rate(), increase() and delta() over a window given as two arrays (oldest
/// first, no staleness markers): a selector keeps its samples that way, and copying every window
/// into Points first cost as much as the function. Same bits as the RangeWindow form. `noResets`:
/// the caller knows no value is lower than the one before it, so only the two ends are read.
std::optional<double> evalRangeFunction(RangeFunction function, std::span<const std::int64_t> timestampsMs,
                                        std::span<const double> values, std::int64_t rangeStartMs,
                                        std::int64_t rangeEndMs, bool noResets);

/// avgOverTimeInterleaved computes avg_over_time for many series at one evaluation: `series[i]` is
/// series i's values in its window, oldest first, staleness markers included (they are skipped);
/// out[i] is empty when it holds no other value. Four series at a time: each one's running mean is
/// a chain of dependent divisions, and interleaving independent chains hides their latency. The
/// results are bit-identical to evalRangeFunction's, series by series.
void avgOverTimeInterleaved(std::span<const std::span<const double>> series, std::span<std::optional<double>> out);

/// evalInstantFunction runs a function whose arguments are scalars, instant vectors and strings.
/// `args` are evaluated in order; `call` gives access to the argument expressions (for absent()).
Value evalInstantFunction(const Call &call, std::vector<Value> &args, std::int64_t t);

/// histogramQuantile estimates quantile q from classic `le` buckets, per label set without `le`.
InstantVector histogramQuantile(double q, const InstantVector &input, std::int64_t t);

/// absentLabels derives the labels absent()/absent_over_time() report from a selector's matchers.
Labels absentLabels(const Expr &arg);

} // namespace pulse::promql
