// Values flowing through PromQL evaluation, and the evaluation error that unwinds to the Engine.
#pragma once

#include "core/base/labels.h"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace pulse::promql {

/// kMetricNameLabel is the label that carries the metric name during evaluation.
inline constexpr std::string_view kMetricNameLabel = "__name__";

/// Element is one sample of an instant vector. `labels` includes `__name__` while the name is kept.
struct Element {
    Labels labels;
    double value = 0;
    std::int64_t timestampMs = 0;
};
using InstantVector = std::vector<Element>;

struct Point {
    std::int64_t timestampMs = 0;
    double value = 0;
};

struct RangeSeries {
    Labels labels;
    std::vector<Point> points;
};
using RangeVector = std::vector<RangeSeries>;

/// Value is a scalar (double), instant vector, range vector or string.
using Value = std::variant<double, InstantVector, RangeVector, std::string>;

/// EvalError unwinds from deep inside evaluation to Engine, which turns it into an Error value (the
/// same role as Prometheus's panic/recover in its evaluator). It never leaves the promql module.
struct EvalError {
    std::string message;
};

[[noreturn]] inline void throwEvalError(std::string message)
{
    throw EvalError{std::move(message)};
}

/// withoutName returns labels minus `__name__`.
inline Labels withoutName(Labels labels)
{
    labels.remove(kMetricNameLabel);
    return labels;
}

/// signatureOf builds a map key from a label set (names and values separated by bytes that cannot
/// occur in UTF-8 text).
std::string signatureOf(const Labels &labels);

/// hasDuplicateLabelSets tells whether two of `sets` are equal.
bool hasDuplicateLabelSets(std::vector<const Labels *> sets);
/// checkUniqueLabelSets fails like Prometheus when two elements share a label set.
void checkUniqueLabelSets(const InstantVector &vector);

} // namespace pulse::promql
