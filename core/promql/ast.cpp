// Type rules and names for AST nodes.
#include "core/promql/ast.h"

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

} // namespace pulse::promql
