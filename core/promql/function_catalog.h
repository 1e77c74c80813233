// FunctionCatalog: the PromQL functions, their argument types and whether this engine runs them.
#pragma once

#include "core/promql/ast.h"

#include <string_view>
#include <vector>

namespace pulse::promql {

/// FunctionInfo describes a function's signature as Prometheus 2.42 declares it.
struct FunctionInfo {
    std::string_view name;
    std::vector<ValueType> argTypes;
    /// variadic: 0 = exactly argTypes.size() arguments; n > 0 = the last n may be left out;
    /// -1 = the last type may repeat any number of times (at least argTypes.size() - 1 arguments).
    int variadic = 0;
    ValueType returnType = ValueType::Vector;
    bool supported = true; ///< false for native-histogram functions this engine does not run
};

/// findFunction returns the function called `name` (case-sensitive), or null.
const FunctionInfo *findFunction(std::string_view name);

} // namespace pulse::promql
