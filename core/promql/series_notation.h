// Series notation of Prometheus's PromQL test files: `metric{a="b"} 0+10x5 _ stale 3`.
#pragma once

#include "core/base/error.h"
#include "core/base/labels.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pulse::promql {

/// SeriesLine is one parsed line: its identity and one optional value per step (nullopt = `_`).
struct SeriesLine {
    std::string metric;
    Labels labels; ///< without __name__
    std::vector<std::optional<double>> values;
};

/// kMaxSeriesValues bounds what one line may expand to (Prometheus's own tests use at most 10,001).
constexpr std::size_t kMaxSeriesValues = 1'000'000;

/// parseSeriesLine reads `metric{labels} values…`, where each value is a number (with Inf, NaN),
/// `stale`, `_`, `_xN`, `AxN` (N+1 copies), or `A+BxN` / `A-BxN` (A, then N further steps of B);
/// N is at most kMaxSeriesValues, and so is the whole line's expansion.
Result<SeriesLine> parseSeriesLine(std::string_view line);

/// parseGoFloat parses a whole string as Go's strconv.ParseFloat does for decimal input
/// (accepting Inf, +Inf, -Inf, NaN in any case).
std::optional<double> parseGoFloat(std::string_view text);

} // namespace pulse::promql
