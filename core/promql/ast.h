// AST of a parsed PromQL expression; every node carries its byte range in the query text.
#pragma once

#include "core/base/history_reader.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace pulse::promql {

enum class ValueType { Scalar, Vector, Matrix, String };

/// valueTypeName spells a type as Prometheus's messages do ("instant vector").
std::string_view valueTypeName(ValueType type);

/// PosRange is a half-open byte range [start, end) of the query text.
struct PosRange {
    std::size_t start = 0;
    std::size_t end = 0;
};

enum class BinOp { Or, And, Unless, Eql, Neq, Lss, Lte, Gtr, Gte, Add, Sub, Mul, Div, Mod, Atan2, Pow };

bool isComparison(BinOp op);
bool isSetOperator(BinOp op);
std::string_view binOpName(BinOp op);

enum class AggOp { Sum, Avg, Count, Min, Max, Group, Stddev, Stdvar, Topk, Bottomk, CountValues, Quantile };

std::string_view aggOpName(AggOp op);

/// AtModifier is `@ <time>`, `@ start()` or `@ end()`.
struct AtModifier {
    enum class Kind { None, Timestamp, Start, End };
    Kind kind = Kind::None;
    std::int64_t timestampMs = 0;
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct NumberLiteral {
    double value = 0;
};

struct StringLiteral {
    std::string value;
};

/// VectorSelector selects series; `matchers` includes the metric name as a `__name__` matcher.
struct VectorSelector {
    std::string name;
    std::vector<LabelMatcher> matchers;
    std::int64_t offsetMs = 0;
    AtModifier at;
};

struct MatrixSelector {
    VectorSelector selector;
    std::int64_t rangeMs = 0;
};

struct SubqueryExpr {
    ExprPtr expr;
    std::int64_t rangeMs = 0;
    std::int64_t stepMs = 0; ///< 0: the engine's default subquery step
    std::int64_t offsetMs = 0;
    AtModifier at;
};

struct ParenExpr {
    ExprPtr expr;
};

/// UnaryExpr is a unary minus; the parser drops unary plus, as Prometheus does.
struct UnaryExpr {
    ExprPtr expr;
};

struct VectorMatching {
    enum class Card { OneToOne, ManyToOne, OneToMany, ManyToMany };
    Card card = Card::OneToOne;
    bool on = false;                  ///< on(...) rather than ignoring(...)
    std::vector<std::string> labels;  ///< the on/ignoring list
    std::vector<std::string> include; ///< group_left/group_right labels
};

struct BinaryExpr {
    BinOp op = BinOp::Add;
    ExprPtr lhs;
    ExprPtr rhs;
    bool returnBool = false;
    VectorMatching matching; ///< meaningful only when both sides are instant vectors
};

struct AggregateExpr {
    AggOp op = AggOp::Sum;
    ExprPtr expr;
    ExprPtr param; ///< k, quantile or label name; null for the others
    std::vector<std::string> grouping;
    bool without = false;
};

struct FunctionInfo;

struct Call {
    const FunctionInfo *func = nullptr;
    std::vector<ExprPtr> args;
};

struct Expr {
    using Node = std::variant<NumberLiteral, StringLiteral, VectorSelector, MatrixSelector, SubqueryExpr, ParenExpr,
                              UnaryExpr, BinaryExpr, AggregateExpr, Call>;
    Node node;
    PosRange pos;
    /// depth counts the nodes on the longest path down to a leaf, this one included. The parser
    /// refuses trees deeper than kMaxExprDepth, so the recursive walks over them (evaluation,
    /// destruction) have a bounded stack.
    std::uint32_t depth = 1;

    ValueType type() const;
};

/// unwrapParens returns the expression inside any number of parentheses.
const Expr &unwrapParens(const Expr &expr);

/// selectedMetricNames lists the metric names the expression's selectors name, sorted, unique.
std::vector<std::string> selectedMetricNames(const Expr &expr);

/// dataSpanMs is how far before the evaluation time the expression reads samples: the longest
/// chain of ranges, subquery ranges and offsets, plus `lookbackDeltaMs` for the selectors.
std::int64_t dataSpanMs(const Expr &expr, std::int64_t lookbackDeltaMs);

} // namespace pulse::promql
