// Functions over range vectors, evaluated per series and window: rate/increase/delta with
// Prometheus's extrapolation, irate/idelta, deriv/predict_linear, holt_winters, changes/resets and
// the *_over_time family.
#include "core/promql/operations.h"

#include "core/base/history_reader.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>

namespace pulse::promql {
namespace {

using Points = std::vector<Point>;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double seconds(std::int64_t ms)
{
    return static_cast<double>(ms) / 1000.0;
}

// kahanAdd adds `value` to a compensated sum, as Prometheus's kahanSumInc.
void kahanAdd(double value, double &sum, double &compensation)
{
    const double t = sum + value;
    if (std::abs(sum) >= std::abs(value))
        compensation += (sum - t) + value;
    else
        compensation += (value - t) + sum;
    sum = t;
}

// PointSamples and ArraySamples are the two shapes a window's samples come in (oldest first, no
// staleness markers): Points copied out of a range vector, or a slice of a selector's arrays.
struct PointSamples {
    const Points &p;
    bool noResets() const { return false; }
    std::size_t size() const { return p.size(); }
    std::int64_t ts(std::size_t i) const { return p[i].timestampMs; }
    double value(std::size_t i) const { return p[i].value; }
};

struct ArraySamples {
    std::span<const std::int64_t> t;
    std::span<const double> v;
    bool monotonic = false;
    bool noResets() const { return monotonic; }
    std::size_t size() const { return t.size(); }
    std::int64_t ts(std::size_t i) const { return t[i]; }
    double value(std::size_t i) const { return v[i]; }
};

// extrapolatedRate implements rate(), increase() and delta(): the change over the samples,
// extrapolated towards the window edges unless a sample is far from the edge (then only half a
// sample interval), and never below zero for counters.
template <class Samples>
std::optional<double> extrapolatedRate(const Samples &p, std::int64_t rangeStartMs, std::int64_t rangeEndMs,
                                       bool isCounter, bool isRate)
{
    const std::size_t n = p.size();
    if (n < 2)
        return std::nullopt;
    const double front = p.value(0);
    double result = p.value(n - 1) - front;
    // With no value below its predecessor the loop would add nothing: for the first sample it can
    // only add the initial 0, and result + 0 is result (result is never -0: that takes a -0 last
    // value and a +0 first one, which is not below 0).
    if (isCounter && !p.noResets()) {
        double last = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double v = p.value(i);
            if (v < last)
                result += last;
            last = v;
        }
    }
    double durationToStart = seconds(p.ts(0) - rangeStartMs);
    const double durationToEnd = seconds(rangeEndMs - p.ts(n - 1));
    const double sampledInterval = seconds(p.ts(n - 1) - p.ts(0));
    const double averageInterval = sampledInterval / static_cast<double>(n - 1);
    if (isCounter && result > 0 && front >= 0) {
        const double durationToZero = sampledInterval * (front / result);
        if (durationToZero < durationToStart)
            durationToStart = durationToZero;
    }
    const double threshold = averageInterval * 1.1;
    double extrapolateTo = sampledInterval;
    extrapolateTo += durationToStart < threshold ? durationToStart : averageInterval / 2;
    extrapolateTo += durationToEnd < threshold ? durationToEnd : averageInterval / 2;
    // The factor first, then one multiplication: Prometheus 2.42's order of operations, so results
    // agree to the last bit (ties in topk/sort depend on it).
    double factor = extrapolateTo / sampledInterval;
    if (isRate)
        factor /= seconds(rangeEndMs - rangeStartMs);
    return result * factor;
}

std::optional<double> extrapolatedRate(const RangeWindow &w, bool isCounter, bool isRate)
{
    return extrapolatedRate(PointSamples{w.points}, w.rangeStartMs, w.rangeEndMs, isCounter, isRate);
}

std::optional<double> instantValue(const RangeWindow &w, bool isRate)
{
    const Points &p = w.points;
    if (p.size() < 2)
        return std::nullopt;
    const Point &last = p[p.size() - 1];
    const Point &previous = p[p.size() - 2];
    double result = 0;
    if (isRate && last.value < previous.value)
        result = last.value; // counter reset
    else
        result = last.value - previous.value;
    const std::int64_t interval = last.timestampMs - previous.timestampMs;
    if (interval == 0)
        return std::nullopt;
    if (isRate)
        result /= seconds(interval);
    return result;
}

struct Regression {
    double slope;
    double intercept;
};

Regression linearRegression(const Points &p, std::int64_t interceptTimeMs)
{
    double n = 0, sumX = 0, cX = 0, sumY = 0, cY = 0, sumXY = 0, cXY = 0, sumX2 = 0, cX2 = 0;
    const double initY = p.front().value;
    bool constY = true;
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (constY && i > 0 && p[i].value != initY)
            constY = false;
        n += 1;
        const double x = seconds(p[i].timestampMs - interceptTimeMs);
        kahanAdd(x, sumX, cX);
        kahanAdd(p[i].value, sumY, cY);
        kahanAdd(x * p[i].value, sumXY, cXY);
        kahanAdd(x * x, sumX2, cX2);
    }
    if (constY) {
        if (std::isinf(initY))
            return {kNaN, kNaN};
        return {0, initY};
    }
    sumX += cX;
    sumY += cY;
    sumXY += cXY;
    sumX2 += cX2;
    const double covXY = sumXY - sumX * sumY / n;
    const double varX = sumX2 - sumX * sumX / n;
    const double slope = covXY / varX;
    return {slope, sumY / n - slope * sumX / n};
}

std::optional<double> holtWinters(const RangeWindow &w, double sf, double tf)
{
    if (!(sf > 0 && sf < 1))
        throwEvalError("invalid smoothing factor. Expected: 0 < sf < 1, got: " + std::to_string(sf));
    if (!(tf > 0 && tf < 1))
        throwEvalError("invalid trend factor. Expected: 0 < tf < 1, got: " + std::to_string(tf));
    const Points &p = w.points;
    if (p.size() < 2)
        return std::nullopt;
    double s0 = 0;
    double s1 = p[0].value;
    double b = p[1].value - p[0].value;
    for (std::size_t i = 1; i < p.size(); ++i) {
        const double x = sf * p[i].value;
        if (i > 1)
            b = tf * (s1 - s0) + (1 - tf) * b;
        const double y = (1 - sf) * (s1 + b);
        s0 = s1;
        s1 = x + y;
    }
    return s1;
}

// RunningMean is Prometheus 2.42's avg_over_time: an incremental mean with Kahan compensation, so
// that large values do not overflow a plain sum.
struct RunningMean {
    double mean = 0;
    double c = 0;
    double count = 0;

    void add(double value)
    {
        count += 1;
        if (std::isinf(mean)) {
            if (std::isinf(value) && (mean > 0) == (value > 0))
                return;
            if (!std::isinf(value) && !std::isnan(value))
                return;
        }
        // A value equal to the mean leaves mean and compensation exactly as they are (v/n - v/n is
        // +0, and mean + +0 is mean: the mean starts at +0 and a sum is -0 only when both terms are),
        // so a steady series skips two divisions per sample and gives the same bits.
        if (value == mean)
            return;
        kahanAdd(value / count - mean / count, mean, c);
    }
    double result() const { return std::isinf(mean) ? mean : mean + c; }
};

double avgOverTime(const Points &p)
{
    RunningMean m;
    for (const auto &s : p)
        m.add(s.value);
    return m.result();
}

double stdvarOverTime(const Points &p)
{
    double count = 0, mean = 0, cMean = 0, aux = 0, cAux = 0;
    for (const auto &s : p) {
        count += 1;
        const double delta = s.value - (mean + cMean);
        kahanAdd(delta / count, mean, cMean);
        kahanAdd(delta * (s.value - (mean + cMean)), aux, cAux);
    }
    return (aux + cAux) / count;
}

using RangeFn = RangeFunction;

const std::unordered_map<std::string_view, RangeFn> &rangeFunctions()
{
    static const std::unordered_map<std::string_view, RangeFn> table = {
        {"rate", RangeFn::Rate},
        {"increase", RangeFn::Increase},
        {"delta", RangeFn::Delta},
        {"irate", RangeFn::Irate},
        {"idelta", RangeFn::Idelta},
        {"deriv", RangeFn::Deriv},
        {"predict_linear", RangeFn::PredictLinear},
        {"holt_winters", RangeFn::HoltWinters},
        {"changes", RangeFn::Changes},
        {"resets", RangeFn::Resets},
        {"avg_over_time", RangeFn::AvgOverTime},
        {"min_over_time", RangeFn::MinOverTime},
        {"max_over_time", RangeFn::MaxOverTime},
        {"sum_over_time", RangeFn::SumOverTime},
        {"count_over_time", RangeFn::CountOverTime},
        {"last_over_time", RangeFn::LastOverTime},
        {"stddev_over_time", RangeFn::StddevOverTime},
        {"stdvar_over_time", RangeFn::StdvarOverTime},
        {"quantile_over_time", RangeFn::QuantileOverTime},
        {"present_over_time", RangeFn::PresentOverTime},
    };
    return table;
}

} // namespace

bool isRangeFunction(std::string_view name)
{
    return rangeFunctions().contains(name) || name == "absent_over_time";
}

void avgOverTimeInterleaved(std::span<const std::span<const double>> series, std::span<std::optional<double>> out)
{
    constexpr std::size_t kLanes = 4;
    for (std::size_t base = 0; base < series.size(); base += kLanes) {
        const std::size_t lanes = std::min(kLanes, series.size() - base);
        std::array<RunningMean, kLanes> means{};
        std::size_t common = 0;
        if (lanes == kLanes) {
            common = series[base].size();
            for (std::size_t l = 1; l < kLanes; ++l)
                common = std::min(common, series[base + l].size());
            for (std::size_t j = 0; j < common; ++j) {
                for (std::size_t l = 0; l < kLanes; ++l) {
                    const double v = series[base + l][j];
                    if (!isStaleMarker(v))
                        means[l].add(v);
                }
            }
        }
        for (std::size_t l = 0; l < lanes; ++l) {
            for (std::size_t j = common; j < series[base + l].size(); ++j) {
                const double v = series[base + l][j];
                if (!isStaleMarker(v))
                    means[l].add(v);
            }
            out[base + l] = means[l].count > 0 ? std::optional(means[l].result()) : std::nullopt;
        }
    }
}

bool hasArrayForm(RangeFunction function)
{
    return function == RangeFunction::Rate || function == RangeFunction::Increase || function == RangeFunction::Delta;
}

std::optional<double> evalRangeFunction(RangeFunction function, std::span<const std::int64_t> timestampsMs,
                                        std::span<const double> values, std::int64_t rangeStartMs,
                                        std::int64_t rangeEndMs, bool noResets)
{
    const ArraySamples samples{timestampsMs, values, noResets};
    switch (function) {
    case RangeFunction::Rate: return extrapolatedRate(samples, rangeStartMs, rangeEndMs, true, true);
    case RangeFunction::Increase: return extrapolatedRate(samples, rangeStartMs, rangeEndMs, true, false);
    case RangeFunction::Delta: return extrapolatedRate(samples, rangeStartMs, rangeEndMs, false, false);
    default: return std::nullopt;
    }
}

std::optional<RangeFunction> rangeFunctionOf(std::string_view name)
{
    const auto found = rangeFunctions().find(name);
    if (found == rangeFunctions().end())
        return std::nullopt;
    return found->second;
}

std::optional<double> evalRangeFunction(std::string_view name, const RangeWindow &w, std::span<const double> scalars)
{
    const auto function = rangeFunctionOf(name);
    if (!function)
        throwEvalError("function \"" + std::string(name) + "\" is not supported");
    return evalRangeFunction(*function, w, scalars);
}

std::optional<double> evalRangeFunction(RangeFunction function, const RangeWindow &w, std::span<const double> scalars)
{
    const Points &p = w.points;
    switch (function) {
    case RangeFn::Rate: return extrapolatedRate(w, true, true);
    case RangeFn::Increase: return extrapolatedRate(w, true, false);
    case RangeFn::Delta: return extrapolatedRate(w, false, false);
    case RangeFn::Irate: return instantValue(w, true);
    case RangeFn::Idelta: return instantValue(w, false);
    case RangeFn::Deriv:
        if (p.size() < 2)
            return std::nullopt;
        return linearRegression(p, p.front().timestampMs).slope;
    case RangeFn::PredictLinear: {
        if (p.size() < 2)
            return std::nullopt;
        const auto [slope, intercept] = linearRegression(p, w.evalTimeMs);
        return intercept + slope * scalars[0];
    }
    case RangeFn::HoltWinters: return holtWinters(w, scalars[0], scalars[1]);
    case RangeFn::Changes: {
        double changes = 0;
        for (std::size_t i = 1; i < p.size(); ++i) {
            const double prev = p[i - 1].value;
            const double cur = p[i].value;
            if (cur != prev && !(std::isnan(cur) && std::isnan(prev)))
                changes += 1;
        }
        return changes;
    }
    case RangeFn::Resets: {
        double resets = 0;
        for (std::size_t i = 1; i < p.size(); ++i) {
            if (p[i].value < p[i - 1].value)
                resets += 1;
        }
        return resets;
    }
    case RangeFn::AvgOverTime: return avgOverTime(p);
    case RangeFn::MinOverTime: {
        double min = p.front().value;
        for (const auto &s : p) {
            if (s.value < min || std::isnan(min))
                min = s.value;
        }
        return min;
    }
    case RangeFn::MaxOverTime: {
        double max = p.front().value;
        for (const auto &s : p) {
            if (s.value > max || std::isnan(max))
                max = s.value;
        }
        return max;
    }
    case RangeFn::SumOverTime: {
        double sum = 0, c = 0;
        for (const auto &s : p)
            kahanAdd(s.value, sum, c);
        return std::isinf(sum) ? sum : sum + c;
    }
    case RangeFn::CountOverTime: return static_cast<double>(p.size());
    case RangeFn::LastOverTime: return p.back().value;
    case RangeFn::StddevOverTime: return std::sqrt(stdvarOverTime(p));
    case RangeFn::StdvarOverTime: return stdvarOverTime(p);
    case RangeFn::QuantileOverTime: {
        std::vector<double> values;
        values.reserve(p.size());
        for (const auto &s : p)
            values.push_back(s.value);
        return quantileOf(scalars[0], std::move(values));
    }
    case RangeFn::PresentOverTime: return 1.0;
    }
    return std::nullopt;
}

} // namespace pulse::promql
