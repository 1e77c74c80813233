// Type rules and names for AST nodes.
#include "core/promql/ast.h"

#include <algorithm>

#include "core/promql/function_catalog.h"

namespace pulse::promql {

std::string_view valueTypeName(ValueType type)
{
    switch (type) {
    case ValueType::Scalar: return "scalar";
    case ValueType::Vector: return "instant vector";
    case ValueType::Matrix: return "range vector";
    case ValueType::String: return "string";
    }
    return "?";
}

bool isComparison(BinOp op)
{
    switch (op) {
    case BinOp::Eql:
    case BinOp::Neq:
    case BinOp::Lss:
    case BinOp::Lte:
    case BinOp::Gtr:
    case BinOp::Gte: return true;
    default: return false;
    }
}

bool isSetOperator(BinOp op)
{
    return op == BinOp::And || op == BinOp::Or || op == BinOp::Unless;
}

std::string_view binOpName(BinOp op)
{
    switch (op) {
    case BinOp::Or: return "or";
    case BinOp::And: return "and";
    case BinOp::Unless: return "unless";
    case BinOp::Eql: return "==";
    case BinOp::Neq: return "!=";
    case BinOp::Lss: return "<";
    case BinOp::Lte: return "<=";
    case BinOp::Gtr: return ">";
    case BinOp::Gte: return ">=";
    case BinOp::Add: return "+";
    case BinOp::Sub: return "-";
    case BinOp::Mul: return "*";
    case BinOp::Div: return "/";
    case BinOp::Mod: return "%";
    case BinOp::Atan2: return "atan2";
    case BinOp::Pow: return "^";
    }
    return "?";
}

std::string_view aggOpName(AggOp op)
{
    switch (op) {
    case AggOp::Sum: return "sum";
    case AggOp::Avg: return "avg";
    case AggOp::Count: return "count";
    case AggOp::Min: return "min";
    case AggOp::Max: return "max";
    case AggOp::Group: return "group";
    case AggOp::Stddev: return "stddev";
    case AggOp::Stdvar: return "stdvar";
    case AggOp::Topk: return "topk";
    case AggOp::Bottomk: return "bottomk";
    case AggOp::CountValues: return "count_values";
    case AggOp::Quantile: return "quantile";
    }
    return "?";
}

ValueType Expr::type() const
{
    struct Visitor {
        ValueType operator()(const NumberLiteral &) const { return ValueType::Scalar; }
        ValueType operator()(const StringLiteral &) const { return ValueType::String; }
        ValueType operator()(const VectorSelector &) const { return ValueType::Vector; }
        ValueType operator()(const MatrixSelector &) const { return ValueType::Matrix; }
        ValueType operator()(const SubqueryExpr &) const { return ValueType::Matrix; }
        ValueType operator()(const ParenExpr &p) const { return p.expr->type(); }
        ValueType operator()(const UnaryExpr &u) const { return u.expr->type(); }
        ValueType operator()(const BinaryExpr &b) const
        {
            return b.lhs->type() == ValueType::Scalar && b.rhs->type() == ValueType::Scalar ? ValueType::Scalar
                                                                                            : ValueType::Vector;
        }
        ValueType operator()(const AggregateExpr &) const { return ValueType::Vector; }
        ValueType operator()(const Call &c) const { return c.func->returnType; }
    };
    return std::visit(Visitor{}, node);
}

const Expr &unwrapParens(const Expr &expr)
{
    const Expr *e = &expr;
    while (const auto *p = std::get_if<ParenExpr>(&e->node))
        e = p->expr.get();
    return *e;
}

namespace {

/// walk visits the expression tree; `visit(expr, spanSoFar)` sees every node with the range and
/// offset accumulated on the way down.
template <class Visit>
void walk(const Expr &expr, std::int64_t spanMs, const Visit &visit)
{
    visit(expr, spanMs);
    std::visit(
        [&](const auto &node) {
            using T = std::decay_t<decltype(node)>;
            if constexpr (std::is_same_v<T, SubqueryExpr>) {
                walk(*node.expr, spanMs + node.rangeMs + node.offsetMs, visit);
            } else if constexpr (std::is_same_v<T, ParenExpr> || std::is_same_v<T, UnaryExpr>) {
                walk(*node.expr, spanMs, visit);
            } else if constexpr (std::is_same_v<T, BinaryExpr>) {
                walk(*node.lhs, spanMs, visit);
                walk(*node.rhs, spanMs, visit);
            } else if constexpr (std::is_same_v<T, AggregateExpr>) {
                walk(*node.expr, spanMs, visit);
                if (node.param)
                    walk(*node.param, spanMs, visit);
            } else if constexpr (std::is_same_v<T, Call>) {
                for (const auto &arg : node.args)
                    walk(*arg, spanMs, visit);
            }
        },
        expr.node);
}

} // namespace

std::vector<std::string> selectedMetricNames(const Expr &expr)
{
    std::vector<std::string> names;
    walk(expr, 0, [&names](const Expr &e, std::int64_t) {
        if (const auto *vs = std::get_if<VectorSelector>(&e.node); vs && !vs->name.empty())
            names.push_back(vs->name);
        if (const auto *ms = std::get_if<MatrixSelector>(&e.node); ms && !ms->selector.name.empty())
            names.push_back(ms->selector.name);
    });
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

std::int64_t dataSpanMs(const Expr &expr, std::int64_t lookbackDeltaMs)
{
    std::int64_t longest = lookbackDeltaMs;
    walk(expr, 0, [&](const Expr &e, std::int64_t spanMs) {
        if (const auto *vs = std::get_if<VectorSelector>(&e.node))
            longest = std::max(longest, spanMs + vs->offsetMs + lookbackDeltaMs);
        if (const auto *ms = std::get_if<MatrixSelector>(&e.node))
            longest = std::max(longest, spanMs + ms->selector.offsetMs + ms->rangeMs);
    });
    return longest;
}

} // namespace pulse::promql
