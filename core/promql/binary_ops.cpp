// Binary operators: arithmetic, comparisons (filtering or `bool`), set operators, and Prometheus's
// vector matching (one-to-one, many-to-one / one-to-many with group_left / group_right).
#include "core/promql/operations.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace pulse::promql {
namespace {

struct ElemResult {
    double value;
    bool keep;
};

ElemResult applyOp(BinOp op, double l, double r)
{
    switch (op) {
    case BinOp::Add: return {l + r, true};
    case BinOp::Sub: return {l - r, true};
    case BinOp::Mul: return {l * r, true};
    case BinOp::Div: return {l / r, true};
    case BinOp::Pow: return {std::pow(l, r), true};
    case BinOp::Mod: return {std::fmod(l, r), true};
    case BinOp::Atan2: return {std::atan2(l, r), true};
    case BinOp::Eql: return {l, l == r};
    case BinOp::Neq: return {l, l != r};
    case BinOp::Gtr: return {l, l > r};
    case BinOp::Lss: return {l, l < r};
    case BinOp::Gte: return {l, l >= r};
    case BinOp::Lte: return {l, l <= r};
    case BinOp::And:
    case BinOp::Or:
    case BinOp::Unless: break;
    }
    throwEvalError("operator \"" + std::string(binOpName(op)) + "\" not allowed here");
}

// Arithmetic drops the metric name (the result is no longer that metric); comparisons keep it.
// Prometheus 2.42 does not list atan2 here, so `a atan2 b` keeps the name of `a`.
bool dropsMetricName(BinOp op)
{
    switch (op) {
    case BinOp::Add:
    case BinOp::Sub:
    case BinOp::Mul:
    case BinOp::Div:
    case BinOp::Mod:
    case BinOp::Pow: return true;
    default: return false;
    }
}

bool contains(const std::vector<std::string> &names, std::string_view name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

// matchSignature is the key two samples must share to match under on(...) / ignoring(...).
std::string matchSignature(const Labels &labels, const VectorMatching &m)
{
    std::string sig;
    for (const auto &l : labels) {
        const bool listed = contains(m.labels, l.name);
        const bool use = m.on ? listed : (!listed && l.name != kMetricNameLabel);
        if (!use)
            continue;
        sig += l.name;
        sig += '\xff';
        sig += l.value;
        sig += '\xfe';
    }
    return sig;
}

std::string describeMatchGroup(const Labels &labels, const VectorMatching &m)
{
    Labels group;
    for (const auto &l : labels) {
        const bool listed = contains(m.labels, l.name);
        if (m.on ? listed : (!listed && l.name != kMetricNameLabel))
            group.set(l.name, l.value);
    }
    return group.toString();
}

std::string describeSeries(const Labels &labels)
{
    Labels rest = labels;
    const std::string name(labels.value(kMetricNameLabel));
    rest.remove(kMetricNameLabel);
    return name + rest.toString();
}

Labels resultLabels(const Labels &many, const Labels &one, const BinaryExpr &expr)
{
    const VectorMatching &m = expr.matching;
    Labels out = many;
    if (dropsMetricName(expr.op))
        out.remove(kMetricNameLabel);
    if (m.card == VectorMatching::Card::OneToOne) {
        if (m.on) {
            Labels kept;
            for (const auto &l : out) {
                if (contains(m.labels, l.name))
                    kept.set(l.name, l.value);
            }
            out = std::move(kept);
        } else {
            for (const auto &name : m.labels)
                out.remove(name);
        }
    }
    for (const auto &name : m.include) {
        const std::string_view v = one.value(name);
        if (!v.empty())
            out.set(name, v);
        else
            out.remove(name);
    }
    return out;
}

InstantVector vectorVector(const BinaryExpr &expr, InstantVector lhs, InstantVector rhs, std::int64_t t)
{
    const VectorMatching &m = expr.matching;
    const bool swapped = m.card == VectorMatching::Card::OneToMany;
    if (swapped)
        std::swap(lhs, rhs);
    // rhs is now the "one" side: its match signatures must be unique.
    std::unordered_map<std::string, const Element *> oneSide;
    for (const auto &r : rhs) {
        auto [it, inserted] = oneSide.emplace(matchSignature(r.labels, m), &r);
        if (!inserted) {
            throwEvalError("found duplicate series for the match group " + describeMatchGroup(r.labels, m) +
                           " on the " + (swapped ? "left" : "right") + " hand-side of the operation: [" +
                           describeSeries(r.labels) + ", " + describeSeries(it->second->labels) +
                           "];many-to-many matching not allowed: matching labels must be unique on one side");
        }
    }
    std::unordered_map<std::string, std::unordered_set<std::string>> matched;
    InstantVector out;
    for (const auto &l : lhs) {
        const std::string sig = matchSignature(l.labels, m);
        const auto found = oneSide.find(sig);
        if (found == oneSide.end())
            continue;
        const Element &r = *found->second;
        double vl = l.value;
        double vr = r.value;
        if (swapped)
            std::swap(vl, vr);
        auto [value, keep] = applyOp(expr.op, vl, vr);
        if (expr.returnBool)
            value = keep ? 1.0 : 0.0;
        else if (!keep)
            continue;
        Labels labels = resultLabels(l.labels, r.labels, expr);
        if (expr.returnBool)
            labels.remove(kMetricNameLabel);
        auto [entry, first] = matched.try_emplace(sig);
        if (m.card == VectorMatching::Card::OneToOne) {
            if (!first)
                throwEvalError("multiple matches for labels: many-to-one matching must be explicit "
                               "(group_left/group_right)");
        } else if (!entry->second.insert(signatureOf(labels)).second) {
            throwEvalError("multiple matches for labels: grouping labels must ensure unique matches");
        }
        out.push_back(Element{std::move(labels), value, t});
    }
    return out;
}

InstantVector setOperation(const BinaryExpr &expr, InstantVector lhs, InstantVector rhs)
{
    const VectorMatching &m = expr.matching;
    InstantVector out;
    switch (expr.op) {
    case BinOp::And:
    case BinOp::Unless: {
        std::unordered_set<std::string> rightSigs;
        for (const auto &r : rhs)
            rightSigs.insert(matchSignature(r.labels, m));
        const bool wantMatch = expr.op == BinOp::And;
        for (auto &l : lhs) {
            if (rightSigs.contains(matchSignature(l.labels, m)) == wantMatch)
                out.push_back(std::move(l));
        }
        return out;
    }
    case BinOp::Or: {
        std::unordered_set<std::string> leftSigs;
        for (auto &l : lhs) {
            leftSigs.insert(matchSignature(l.labels, m));
            out.push_back(std::move(l));
        }
        for (auto &r : rhs) {
            if (!leftSigs.contains(matchSignature(r.labels, m)))
                out.push_back(std::move(r));
        }
        return out;
    }
    default: break;
    }
    return out;
}

InstantVector vectorScalar(const BinaryExpr &expr, InstantVector vec, double scalar, bool scalarOnLeft)
{
    InstantVector out;
    for (auto &e : vec) {
        double l = e.value;
        double r = scalar;
        if (scalarOnLeft)
            std::swap(l, r);
        auto [value, keep] = applyOp(expr.op, l, r);
        // A comparison keeps the vector's value even when the scalar is on the left.
        if (isComparison(expr.op) && scalarOnLeft)
            value = r;
        if (expr.returnBool) {
            value = keep ? 1.0 : 0.0;
            keep = true;
        }
        if (!keep)
            continue;
        e.value = value;
        if (dropsMetricName(expr.op) || expr.returnBool)
            e.labels.remove(kMetricNameLabel);
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace

Value evalBinary(const BinaryExpr &expr, Value lhs, Value rhs, std::int64_t t)
{
    const double *ls = std::get_if<double>(&lhs);
    const double *rs = std::get_if<double>(&rhs);
    if (ls && rs) {
        auto [value, keep] = applyOp(expr.op, *ls, *rs);
        if (isComparison(expr.op))
            return keep ? 1.0 : 0.0;
        return value;
    }
    if (ls)
        return vectorScalar(expr, std::move(std::get<InstantVector>(rhs)), *ls, true);
    if (rs)
        return vectorScalar(expr, std::move(std::get<InstantVector>(lhs)), *rs, false);
    auto &lv = std::get<InstantVector>(lhs);
    auto &rv = std::get<InstantVector>(rhs);
    if (isSetOperator(expr.op))
        return setOperation(expr, std::move(lv), std::move(rv));
    return vectorVector(expr, std::move(lv), std::move(rv), t);
}

} // namespace pulse::promql
