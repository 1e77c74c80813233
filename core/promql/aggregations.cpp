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

namespace {

/// GroupIndex finds a group by its interned labels' identity: a range query aggregates at every step,
/// usually into a handful of groups, which a scan finds without a map's allocations; past kScanGroups
/// the map takes over.
class GroupIndex {
public:
    static constexpr std::size_t kScanGroups = 16;
    /// find is the group's position, or size() when it is new.
    std::size_t find(const void *id) const
    {
        if (m_ids.size() <= kScanGroups)
            return static_cast<std::size_t>(std::find(m_ids.begin(), m_ids.end(), id) - m_ids.begin());
        const auto it = m_index.find(id);
        return it == m_index.end() ? m_ids.size() : it->second;
    }
    std::size_t size() const { return m_ids.size(); }
    void add(const void *id)
    {
        m_ids.push_back(id);
        if (m_ids.size() == kScanGroups + 1) {
            for (std::size_t i = 0; i < m_ids.size(); ++i)
                m_index.emplace(m_ids[i], i);
        } else if (m_ids.size() > kScanGroups + 1) {
            m_index.emplace(id, m_ids.size() - 1);
        }
    }

private:
    std::vector<const void *> m_ids;
    std::unordered_map<const void *, std::size_t> m_index;
};

/// startGroup makes the group a series opens. (Inlined, like accumulate: they run per series and step.)
[[gnu::always_inline]] inline Group startGroup(AggOp op, const Labels &labels, const Element &e)
{
    Group g;
    g.labels = labels;
    g.value = e.value;
    g.mean = e.value;
    g.count = 1;
    switch (op) {
    case AggOp::Stddev:
    case AggOp::Stdvar: g.value = 0; break;
    case AggOp::Group: g.value = 1; break;
    case AggOp::Topk:
    case AggOp::Bottomk:
    case AggOp::Quantile: g.members.push_back(&e); break;
    default: break;
    }
    return g;
}

/// accumulate folds one more series into its group.
[[gnu::always_inline]] inline void accumulate(AggOp op, Group &g, const Element &e)
{
    switch (op) {
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

/// finish writes each group's answer: one element per group, or for topk/bottomk up to k members.
InstantVector finish(AggOp op, std::vector<Group> &groups, double param, std::int64_t k, std::int64_t t)
{
    InstantVector out;
    for (auto &g : groups) {
        switch (op) {
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
            const bool top = op == AggOp::Topk;
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

} // namespace

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
    GroupIndex index;
    for (const auto &e : *source) {
        const Labels &key = grouper.groupOf(e.labels, expr, grouping);
        const std::size_t found = index.find(key.identity());
        if (found == index.size()) {
            index.add(key.identity());
            groups.push_back(startGroup(expr.op, key, e));
        } else {
            accumulate(expr.op, groups[found], e);
        }
    }
    return finish(expr.op, groups, param, k, t);
}

} // namespace pulse::promql
