// The table of PromQL 2.42 functions with their signatures.
#include "core/promql/function_catalog.h"

#include <array>

namespace pulse::promql {
namespace {

constexpr ValueType S = ValueType::Scalar;
constexpr ValueType V = ValueType::Vector;
constexpr ValueType M = ValueType::Matrix;
constexpr ValueType Str = ValueType::String;

const std::vector<FunctionInfo> &catalog()
{
    static const std::vector<FunctionInfo> functions = {
        {"abs", {V}, 0, V, true},
        {"absent", {V}, 0, V, true},
        {"absent_over_time", {M}, 0, V, true},
        {"acos", {V}, 0, V, true},
        {"acosh", {V}, 0, V, true},
        {"asin", {V}, 0, V, true},
        {"asinh", {V}, 0, V, true},
        {"atan", {V}, 0, V, true},
        {"atanh", {V}, 0, V, true},
        {"avg_over_time", {M}, 0, V, true},
        {"ceil", {V}, 0, V, true},
        {"changes", {M}, 0, V, true},
        {"clamp", {V, S, S}, 0, V, true},
        {"clamp_max", {V, S}, 0, V, true},
        {"clamp_min", {V, S}, 0, V, true},
        {"cos", {V}, 0, V, true},
        {"cosh", {V}, 0, V, true},
        {"count_over_time", {M}, 0, V, true},
        {"days_in_month", {V}, 1, V, true},
        {"day_of_month", {V}, 1, V, true},
        {"day_of_week", {V}, 1, V, true},
        {"day_of_year", {V}, 1, V, true},
        {"deg", {V}, 0, V, true},
        {"delta", {M}, 0, V, true},
        {"deriv", {M}, 0, V, true},
        {"exp", {V}, 0, V, true},
        {"floor", {V}, 0, V, true},
        {"histogram_count", {V}, 0, V, false},
        {"histogram_sum", {V}, 0, V, false},
        {"histogram_fraction", {S, S, V}, 0, V, false},
        {"histogram_quantile", {S, V}, 0, V, true},
        {"holt_winters", {M, S, S}, 0, V, true},
        {"hour", {V}, 1, V, true},
        {"idelta", {M}, 0, V, true},
        {"increase", {M}, 0, V, true},
        {"irate", {M}, 0, V, true},
        {"label_replace", {V, Str, Str, Str, Str}, 0, V, true},
        {"label_join", {V, Str, Str, Str}, -1, V, true},
        {"last_over_time", {M}, 0, V, true},
        {"ln", {V}, 0, V, true},
        {"log10", {V}, 0, V, true},
        {"log2", {V}, 0, V, true},
        {"max_over_time", {M}, 0, V, true},
        {"min_over_time", {M}, 0, V, true},
        {"minute", {V}, 1, V, true},
        {"month", {V}, 1, V, true},
        {"pi", {}, 0, S, true},
        {"predict_linear", {M, S}, 0, V, true},
        {"present_over_time", {M}, 0, V, true},
        {"quantile_over_time", {S, M}, 0, V, true},
        {"rad", {V}, 0, V, true},
        {"rate", {M}, 0, V, true},
        {"resets", {M}, 0, V, true},
        {"round", {V, S}, 1, V, true},
        {"scalar", {V}, 0, S, true},
        {"sgn", {V}, 0, V, true},
        {"sin", {V}, 0, V, true},
        {"sinh", {V}, 0, V, true},
        {"sort", {V}, 0, V, true},
        {"sort_desc", {V}, 0, V, true},
        {"sqrt", {V}, 0, V, true},
        {"stddev_over_time", {M}, 0, V, true},
        {"stdvar_over_time", {M}, 0, V, true},
        {"sum_over_time", {M}, 0, V, true},
        {"tan", {V}, 0, V, true},
        {"tanh", {V}, 0, V, true},
        {"time", {}, 0, S, true},
        {"timestamp", {V}, 0, V, true},
        {"vector", {S}, 0, V, true},
        {"year", {V}, 1, V, true},
    };
    return functions;
}

} // namespace

const FunctionInfo *findFunction(std::string_view name)
{
    for (const auto &f : catalog()) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

} // namespace pulse::promql
