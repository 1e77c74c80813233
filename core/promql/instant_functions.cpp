// Functions over scalars, instant vectors and strings: math, clamping, rounding, date parts,
// label_replace/label_join, sorting, absent(), scalar()/vector()/time() and histogram_quantile().
#include "core/promql/operations.h"

#include "core/promql/function_catalog.h"
#include "core/selection/anchored_regex.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <unordered_map>

namespace pulse::promql {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();


// Go's math.Max/math.Min propagate NaN from either side; std::fmax/fmin would hide it.
double goMax(double a, double b)
{
    if (std::isnan(a) || std::isnan(b))
        return kNaN;
    return std::max(a, b);
}

double goMin(double a, double b)
{
    if (std::isnan(a) || std::isnan(b))
        return kNaN;
    return std::min(a, b);
}

InstantVector mapValues(InstantVector vec, const std::function<double(double)> &fn)
{
    for (auto &e : vec) {
        e.labels.remove(kMetricNameLabel);
        e.value = fn(e.value);
    }
    return vec;
}

const std::unordered_map<std::string_view, double (*)(double)> &mathFunctions()
{
    static const std::unordered_map<std::string_view, double (*)(double)> table = {
        {"abs", [](double v) { return std::abs(v); }},
        {"ceil", [](double v) { return std::ceil(v); }},
        {"floor", [](double v) { return std::floor(v); }},
        {"exp", [](double v) { return std::exp(v); }},
        {"ln", [](double v) { return std::log(v); }},
        {"log2", [](double v) { return std::log2(v); }},
        {"log10", [](double v) { return std::log10(v); }},
        {"sqrt", [](double v) { return std::sqrt(v); }},
        {"sgn", [](double v) { return v < 0 ? -1.0 : (v > 0 ? 1.0 : v); }},
        {"sin", [](double v) { return std::sin(v); }},
        {"cos", [](double v) { return std::cos(v); }},
        {"tan", [](double v) { return std::tan(v); }},
        {"asin", [](double v) { return std::asin(v); }},
        {"acos", [](double v) { return std::acos(v); }},
        {"atan", [](double v) { return std::atan(v); }},
        {"sinh", [](double v) { return std::sinh(v); }},
        {"cosh", [](double v) { return std::cosh(v); }},
        {"tanh", [](double v) { return std::tanh(v); }},
        {"asinh", [](double v) { return std::asinh(v); }},
        {"acosh", [](double v) { return std::acosh(v); }},
        {"atanh", [](double v) { return std::atanh(v); }},
        {"deg", [](double v) { return v * 180 / std::numbers::pi; }},
        {"rad", [](double v) { return v * std::numbers::pi / 180; }},
    };
    return table;
}

struct CivilTime {
    std::int64_t year;
    int month;      // 1..12
    int day;        // 1..31
    int dayOfYear;  // 1..366
    int dayOfWeek;  // 0 = Sunday
    int hour;
    int minute;
    int daysInMonth;
};

bool isLeap(std::int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// civilTime splits Unix seconds into UTC calendar fields (Howard Hinnant's days-to-civil algorithm).
CivilTime civilTime(std::int64_t secs)
{
    std::int64_t days = secs / 86400;
    std::int64_t rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        days -= 1;
    }
    CivilTime c{};
    c.hour = static_cast<int>(rem / 3600);
    c.minute = static_cast<int>(rem % 3600 / 60);
    c.dayOfWeek = static_cast<int>(((days % 7) + 11) % 7); // 1970-01-01 was a Thursday
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    c.year = yoe + era * 400 + (c.month <= 2 ? 1 : 0);
    static const int cumulative[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    c.dayOfYear = cumulative[c.month - 1] + c.day + (c.month > 2 && isLeap(c.year) ? 1 : 0);
    static const int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    c.daysInMonth = lengths[c.month - 1] + (c.month == 2 && isLeap(c.year) ? 1 : 0);
    return c;
}

std::optional<double> datePart(std::string_view name, double value)
{
    if (!std::isfinite(value) || std::abs(value) > 1e17)
        return kNaN;
    const CivilTime c = civilTime(static_cast<std::int64_t>(value));
    if (name == "year")
        return static_cast<double>(c.year);
    if (name == "month")
        return c.month;
    if (name == "day_of_month")
        return c.day;
    if (name == "day_of_year")
        return c.dayOfYear;
    if (name == "day_of_week")
        return c.dayOfWeek;
    if (name == "hour")
        return c.hour;
    if (name == "minute")
        return c.minute;
    if (name == "days_in_month")
        return c.daysInMonth;
    return std::nullopt;
}

// expandTemplate substitutes $1, ${1}, $name and ${name} like Go's Regexp.Expand: an unknown group
// expands to nothing, "$$" is a literal dollar, and "$" before anything else stays literal.
std::string expandTemplate(std::string_view tmpl, const std::vector<std::string> &groups, const AnchoredRegex &regex)
{
    auto isNameChar = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    };
    std::string out;
    for (std::size_t i = 0; i < tmpl.size(); ++i) {
        if (tmpl[i] != '$') {
            out += tmpl[i];
            continue;
        }
        if (i + 1 < tmpl.size() && tmpl[i + 1] == '$') {
            out += '$';
            ++i;
            continue;
        }
        std::string_view name;
        std::size_t consumed = 0;
        if (i + 1 < tmpl.size() && tmpl[i + 1] == '{') {
            const std::size_t close = tmpl.find('}', i + 2);
            if (close != std::string_view::npos && close > i + 2) {
                name = tmpl.substr(i + 2, close - i - 2);
                consumed = close - i;
                if (!std::all_of(name.begin(), name.end(), isNameChar))
                    name = {};
            }
        } else {
            std::size_t j = i + 1;
            while (j < tmpl.size() && isNameChar(tmpl[j]))
                ++j;
            name = tmpl.substr(i + 1, j - i - 1);
            consumed = j - i - 1;
        }
        if (name.empty()) {
            out += '$';
            continue;
        }
        i += consumed;
        if (std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            const std::size_t index = name.size() > 6 ? groups.size() : std::stoul(std::string(name));
            if (index < groups.size())
                out += groups[index];
        } else {
            const int index = regex.groupIndex(name);
            if (index >= 0 && static_cast<std::size_t>(index) < groups.size())
                out += groups[static_cast<std::size_t>(index)];
        }
    }
    return out;
}

InstantVector labelReplace(InstantVector vec, const std::string &dst, const std::string &replacement,
                           const std::string &src, const std::string &pattern)
{
    auto regex = AnchoredRegex::compile(pattern);
    if (!regex)
        throwEvalError("invalid regular expression in label_replace(): " + pattern);
    if (!isValidLabelName(dst))
        throwEvalError("invalid destination label name in label_replace(): " + dst);
    std::vector<std::string> groups;
    for (auto &e : vec) {
        if (!regex->captures(e.labels.value(src), groups))
            continue;
        const std::string value = expandTemplate(replacement, groups, *regex);
        if (value.empty())
            e.labels.remove(dst);
        else
            e.labels.set(dst, value);
    }
    return vec;
}

InstantVector labelJoin(InstantVector vec, std::vector<Value> &args)
{
    const std::string &dst = std::get<std::string>(args[1]);
    const std::string &sep = std::get<std::string>(args[2]);
    if (!isValidLabelName(dst))
        throwEvalError("invalid destination label name in label_join(): " + dst);
    for (std::size_t i = 3; i < args.size(); ++i) {
        if (!isValidLabelName(std::get<std::string>(args[i])))
            throwEvalError("invalid source label name in label_join(): " + std::get<std::string>(args[i]));
    }
    for (auto &e : vec) {
        std::string joined;
        for (std::size_t i = 3; i < args.size(); ++i) {
            if (i > 3)
                joined += sep;
            joined += e.labels.value(std::get<std::string>(args[i]));
        }
        if (joined.empty())
            e.labels.remove(dst);
        else
            e.labels.set(dst, joined);
    }
    return vec;
}

} // namespace

Value evalInstantFunction(const Call &call, std::vector<Value> &args, std::int64_t t)
{
    const std::string_view name = call.func->name;
    auto vectorArg = [&](std::size_t i) -> InstantVector & { return std::get<InstantVector>(args[i]); };
    auto scalarArg = [&](std::size_t i) { return std::get<double>(args[i]); };

    if (const auto fn = mathFunctions().find(name); fn != mathFunctions().end())
        return mapValues(std::move(vectorArg(0)), fn->second);
    if (name == "pi")
        return std::numbers::pi;
    if (name == "time")
        return static_cast<double>(t) / 1000.0;
    if (name == "vector")
        return InstantVector{Element{Labels{}, scalarArg(0), t}};
    if (name == "scalar") {
        const InstantVector &v = vectorArg(0);
        return v.size() == 1 ? v.front().value : kNaN;
    }
    if (name == "round") {
        const double toNearest = args.size() > 1 ? scalarArg(1) : 1.0;
        const double inverse = 1.0 / toNearest;
        return mapValues(std::move(vectorArg(0)), [inverse](double v) { return std::floor(v * inverse + 0.5) / inverse; });
    }
    if (name == "clamp") {
        const double min = scalarArg(1);
        const double max = scalarArg(2);
        if (max < min)
            return InstantVector{};
        return mapValues(std::move(vectorArg(0)), [min, max](double v) { return goMax(min, goMin(max, v)); });
    }
    if (name == "clamp_min") {
        const double min = scalarArg(1);
        return mapValues(std::move(vectorArg(0)), [min](double v) { return goMax(min, v); });
    }
    if (name == "clamp_max") {
        const double max = scalarArg(1);
        return mapValues(std::move(vectorArg(0)), [max](double v) { return goMin(max, v); });
    }
    if (datePart(name, 0)) {
        InstantVector input = args.empty() ? InstantVector{Element{Labels{}, static_cast<double>(t) / 1000.0, t}}
                                           : std::move(vectorArg(0));
        return mapValues(std::move(input), [name](double v) { return *datePart(name, v); });
    }
    if (name == "label_replace")
        return labelReplace(std::move(vectorArg(0)), std::get<std::string>(args[1]), std::get<std::string>(args[2]),
                            std::get<std::string>(args[3]), std::get<std::string>(args[4]));
    if (name == "label_join")
        return labelJoin(std::move(vectorArg(0)), args);
    if (name == "sort" || name == "sort_desc") {
        InstantVector vec = std::move(vectorArg(0));
        const bool descending = name == "sort_desc";
        // NaN goes last in both directions, as with Prometheus's heap orderings.
        std::stable_sort(vec.begin(), vec.end(), [descending](const Element &a, const Element &b) {
            if (std::isnan(a.value) || std::isnan(b.value))
                return !std::isnan(a.value) && std::isnan(b.value);
            return descending ? a.value > b.value : a.value < b.value;
        });
        return vec;
    }
    if (name == "absent") {
        if (!vectorArg(0).empty())
            return InstantVector{};
        return InstantVector{Element{absentLabels(unwrapParens(*call.args[0])), 1, t}};
    }
    if (name == "histogram_quantile")
        return histogramQuantile(scalarArg(0), vectorArg(1), t);
    throwEvalError("function \"" + std::string(name) + "\" is not supported");
}

Labels absentLabels(const Expr &arg)
{
    const VectorSelector *vs = nullptr;
    if (const auto *v = std::get_if<VectorSelector>(&arg.node))
        vs = v;
    else if (const auto *m = std::get_if<MatrixSelector>(&arg.node))
        vs = &m->selector;
    if (!vs)
        return Labels{};
    Labels out;
    std::vector<std::string> dropped;
    for (const auto &m : vs->matchers) {
        if (m.name == kMetricNameLabel)
            continue;
        if (m.op == LabelMatcher::Op::Equal && !out.has(m.name))
            out.set(m.name, m.value);
        else
            dropped.push_back(m.name);
    }
    for (const auto &name : dropped)
        out.remove(name);
    return out;
}

} // namespace pulse::promql
