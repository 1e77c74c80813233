// Aggregation operators (sum, avg, count, min, max, group, stddev, stdvar, topk, bottomk,
// count_values, quantile) with Prometheus 2.42's grouping, ordering and NaN/Inf behaviour.
#include "core/promql/operations.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <unordered_map>

namespace pulse::promql {
namespace {

struct Group {
    Labels labels;
    double value = 0;
    double mean = 0;
    double count = 0;
    std::vector<const Element *> members; ///< topk/bottomk/quantile
};


// formatValue writes a value the way Go's strconv.FormatFloat(v, 'f', -1, 64) does.
std::string formatValue(double v)
{
    if (std::isnan(v))
        return "NaN";
    if (std::isinf(v))
        return v > 0 ? "+Inf" : "-Inf";
    for (int precision = 0; precision <= 400; ++precision) {
        char buf[512];
        std::snprintf(buf, sizeof buf, "%.*f", precision, v);
        if (std::strtod(buf, nullptr) == v)
            return buf;
    }
    return std::to_string(v);
}

Labels groupLabels(const Labels &metric, const AggregateExpr &expr, const std::vector<std::string> &grouping)
{
    Labels out;
    if (expr.without) {
        out = metric;
        for (const auto &name : grouping)
            out.remove(name);
        out.remove(kMetricNameLabel);
    } else {
        for (const auto &l : metric) {
            if (std::find(grouping.begin(), grouping.end(), l.name) != grouping.end())
                out.set(l.name, l.value);
        }
    }
    return out;
}

// NaN sorts below every number, as in Prometheus's vectorByValueHeap.
bool lessWithNaNLow(double a, double b)
{
    if (std::isnan(a) && !std::isnan(b))
        return true;
    return a < b;
}

// NaN sorts below every number with the order reversed, as in vectorByReverseValueHeap.
bool greaterWithNaNLow(double a, double b)
{
    if (std::isnan(a) && !std::isnan(b))
        return true;
    return a > b;
}

} // namespace

double quantileOf(double q, std::vector<double> values)
{
    if (values.empty() || std::isnan(q))
        return std::numeric_limits<double>::quiet_NaN();
    if (q < 0)
        return -std::numeric_limits<double>::infinity();
    if (q > 1)
        return std::numeric_limits<double>::infinity();
    std::sort(values.begin(), values.end(), lessWithNaNLow);
    const double n = static_cast<double>(values.size());
    const double rank = q * (n - 1);
    const double lower = std::max(0.0, std::floor(rank));
    const double upper = std::min(n - 1, lower + 1);
    const double weight = rank - std::floor(rank);
    return values[static_cast<std::size_t>(lower)] * (1 - weight) + values[static_cast<std::size_t>(upper)] * weight;
}

const Labels &GroupingCache::groupOf(const Labels &series, const AggregateExpr &expr,
                                     const std::vector<std::string> &grouping)
{
    auto [it, inserted] = m_byIdentity.try_emplace(series.identity());
    if (inserted) {
        it->second.series = series;
        it->second.group = &*m_interned.insert(groupLabels(series, expr, grouping)).first;
    }
    return *it->second.group;
}

void GroupingCache::prepare(std::size_t inputSize)
{
    if (m_byIdentity.size() > 4 * inputSize + 1024) {
        m_byIdentity.clear();
        m_interned.clear();
    }
}

InstantVector aggregate(const AggregateExpr &expr, const InstantVector &input, double param, const std::string &label,
                        std::int64_t t, GroupingCache *cache)
{
    std::vector<std::string> grouping = expr.grouping;
    std::vector<Element> relabelled; // count_values adds its label before grouping
    const InstantVector *source = &input;
    if (expr.op == AggOp::CountValues) {
        if (!isValidLabelName(label))
            throwEvalError("invalid label name \"" + label + "\"");
        if (!expr.without)
            grouping.push_back(label);
        relabelled = input;
        for (auto &e : relabelled)
            e.labels.set(label, formatValue(e.value));
        source = &relabelled;
    }
    std::int64_t k = 0;
    if (expr.op == AggOp::Topk || expr.op == AggOp::Bottomk) {
        if (std::isnan(param) || param < 1)
            return {};
        k = param >= 9.2e18 ? std::numeric_limits<std::int64_t>::max() : static_cast<std::int64_t>(param);
    }

    // count_values' labels are new at every step: a cache would only grow.
    GroupingCache local;
    GroupingCache &grouper = cache != nullptr && expr.op != AggOp::CountValues ? *cache : local;
    grouper.prepare(source->size());
    std::vector<Group> groups;
    // Groups by the interned group labels' identity: a range query aggregates at every step, usually
    // into a handful of groups, which a scan finds without the map's allocations; past kScanGroups the
    // map takes over.
    constexpr std::size_t kScanGroups = 16;
    std::vector<const void *> groupIds;
    std::unordered_map<const void *, std::size_t> index;
    const auto find = [&](const void *id) -> std::size_t {
        if (groupIds.size() <= kScanGroups) {
            const auto it = std::find(groupIds.begin(), groupIds.end(), id);
            return static_cast<std::size_t>(it - groupIds.begin());
        }
        const auto it = index.find(id);
        return it == index.end() ? groupIds.size() : it->second;
    };
    for (const auto &e : *source) {
        const Labels &key = grouper.groupOf(e.labels, expr, grouping);
        const std::size_t found = find(key.identity());
        if (found == groupIds.size()) {
            groupIds.push_back(key.identity());
            if (groupIds.size() == kScanGroups + 1) {
                for (std::size_t i = 0; i < groupIds.size(); ++i)
                    index.emplace(groupIds[i], i);
            } else if (groupIds.size() > kScanGroups + 1) {
                index.emplace(groupIds.back(), groupIds.size() - 1);
            }
            Group g;
            g.labels = key;
            g.value = e.value;
            g.mean = e.value;
            g.count = 1;
            switch (expr.op) {
            case AggOp::Stddev:
            case AggOp::Stdvar: g.value = 0; break;
            case AggOp::Group: g.value = 1; break;
            case AggOp::Topk:
            case AggOp::Bottomk:
            case AggOp::Quantile: g.members.push_back(&e); break;
            default: break;
            }
            groups.push_back(std::move(g));
            continue;
        }
        Group &g = groups[found];
        switch (expr.op) {
        case AggOp::Sum: g.value += e.value; break;
        case AggOp::Avg:
            g.count += 1;
            if (std::isinf(g.mean)) {
                // Inf + same-sign Inf, or Inf + finite, keeps the mean; the update below would make NaN.
                if (std::isinf(e.value) && (g.mean > 0) == (e.value > 0))
                    break;
                if (!std::isinf(e.value) && !std::isnan(e.value))
                    break;
            }
            // Dividing each term first avoids overflowing near the float64 limit.
            g.mean += e.value / g.count - g.mean / g.count;
            break;
        case AggOp::Group: break;
        case AggOp::Max:
            if (g.value < e.value || std::isnan(g.value))
                g.value = e.value;
            break;
        case AggOp::Min:
            if (g.value > e.value || std::isnan(g.value))
                g.value = e.value;
            break;
        case AggOp::Count:
        case AggOp::CountValues: g.count += 1; break;
        case AggOp::Stddev:
        case AggOp::Stdvar: {
            g.count += 1;
            const double delta = e.value - g.mean;
            g.mean += delta / g.count;
            g.value += delta * (e.value - g.mean);
            break;
        }
        case AggOp::Topk:
        case AggOp::Bottomk:
        case AggOp::Quantile: g.members.push_back(&e); break;
        }
    }

    InstantVector out;
    for (auto &g : groups) {
        switch (expr.op) {
        case AggOp::Avg: g.value = g.mean; break;
        case AggOp::Count:
        case AggOp::CountValues: g.value = g.count; break;
        case AggOp::Stdvar: g.value = g.value / g.count; break;
        case AggOp::Stddev: g.value = std::sqrt(g.value / g.count); break;
        case AggOp::Quantile: {
            std::vector<double> values;
            values.reserve(g.members.size());
            for (const Element *e : g.members)
                values.push_back(e->value);
            g.value = quantileOf(param, std::move(values));
            break;
        }
        case AggOp::Topk:
        case AggOp::Bottomk: {
            // Largest (or smallest) first, NaN last: the order Prometheus's heaps produce.
            const bool top = expr.op == AggOp::Topk;
            std::stable_sort(g.members.begin(), g.members.end(), [top](const Element *a, const Element *b) {
                return top ? lessWithNaNLow(b->value, a->value) : greaterWithNaNLow(b->value, a->value);
            });
            const auto n = std::min<std::size_t>(g.members.size(), static_cast<std::size_t>(k));
            for (std::size_t i = 0; i < n; ++i)
                out.push_back(Element{g.members[i]->labels, g.members[i]->value, t});
            continue;
        }
        default: break;
        }
        out.push_back(Element{std::move(g.labels), g.value, t});
    }
    return out;
}

} // namespace pulse::promql
