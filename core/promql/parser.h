// Parser: PromQL text → AST, with Prometheus 2.42's grammar, precedence and type checks.
#pragma once

#include "core/error.h"
#include "core/promql/ast.h"
#include "core/promql/lexer.h"

#include <string_view>
#include <vector>

namespace pulse::promql {

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
    ExprPtr makeBinary(BinOp op, ExprPtr lhs, ExprPtr rhs, BinaryExpr modifiers, const Token &opToken);
    void applyOffset(Expr &expr, std::size_t pos);
    void applyAt(Expr &expr, std::size_t pos);
    void checkSelector(const VectorSelector &selector, std::size_t pos) const;

    std::string_view m_input;
    std::vector<Token> m_tokens;
    std::size_t m_index = 0;
};

} // namespace pulse::promql
