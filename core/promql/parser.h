// Parser: PromQL text → AST, with Prometheus 2.42's grammar, precedence and type checks.
#pragma once

#include "core/base/error.h"
#include "core/promql/ast.h"
#include "core/promql/lexer.h"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace pulse::promql {

/// kMaxExprBytes and kMaxExprDepth bound what parse accepts: longer text or deeper nesting (parentheses,
/// calls, `1+1+…` chains, stacked subqueries) fails with an error naming the limit instead of running
/// the parser or the evaluator out of stack. Far beyond anything written by hand or by Grafana.
constexpr std::size_t kMaxExprBytes = std::size_t{1} << 20;
constexpr std::uint32_t kMaxExprDepth = 1000;

/// parse turns an expression into an AST. Errors read "col N: message" (1-based byte column; "line L,
/// col N" for multi-line input); syntax this engine cannot evaluate reads "col N: <thing> is not
/// supported".
Result<ExprPtr> parse(std::string_view expr);

/// isUnsupported is true for the errors that mean "valid PromQL this engine does not run".
bool isUnsupported(const Error &error);

/// Parser is a recursive-descent parser with precedence climbing for binary operators.
/// Internally a failure unwinds with an exception that parse() turns into an Error value.
class Parser {
public:
    explicit Parser(std::string_view input);
    Result<ExprPtr> parse();

private:
    const Token &peek(std::size_t ahead = 0) const;
    const Token &next();
    bool peekKeyword(std::string_view keyword, std::size_t ahead = 0) const;
    const Token &expect(TokenKind kind, std::string_view what);
    [[noreturn]] void failAt(std::size_t pos, std::string message) const;
    [[noreturn]] void unexpected(const Token &token, std::string_view context = {}) const;

    ExprPtr parseExpr(int minPrecedence);
    ExprPtr parseUnary();
    ExprPtr parsePostfix(ExprPtr expr);
    ExprPtr parsePrimary();
    ExprPtr parseSelector(const std::string &name, std::size_t start);
    ExprPtr parseAggregate(AggOp op, std::size_t start);
    ExprPtr parseCall();
    std::vector<ExprPtr> parseArguments();
    std::vector<std::string> parseLabelList();
    std::string parseLabelName();
    void parseVectorMatching(BinaryExpr &binary);
    /// makeNode builds a node over [start, end) and fails once the tree would be deeper than kMaxExprDepth.
    ExprPtr makeNode(Expr::Node node, std::size_t start, std::size_t end) const;
    ExprPtr makeBinary(BinOp op, ExprPtr lhs, ExprPtr rhs, BinaryExpr modifiers, const Token &opToken);
    void applyOffset(Expr &expr, std::size_t pos);
    void applyAt(Expr &expr, std::size_t pos);
    void checkSelector(const VectorSelector &selector, std::size_t pos) const;

    std::string_view m_input;
    std::vector<Token> m_tokens;
    std::size_t m_index = 0;
    std::uint32_t m_nesting = 0; ///< parseExpr calls in progress
};

} // namespace pulse::promql
