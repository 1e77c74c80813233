// Recursive-descent PromQL parser. Precedence (low → high): or; and unless; comparisons; + -;
// * / % atan2; unary minus; ^ (right-associative); then offset/@/[range] postfixes. Unary minus
// binds like `*`, so `-2^2` is -(2^2) and `-a * b` is (-a) * b, as in Prometheus's grammar.
#include "core/promql/parser.h"

#include "core/promql/function_catalog.h"
#include "core/promql/overloaded.h"
#include "core/selection/anchored_regex.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace pulse::promql {
namespace {

// ParseFailure unwinds from deep inside the parser to Parser::parse(); it never leaves this file.
struct ParseFailure {
    std::size_t pos;
    std::string message;
};

constexpr std::string_view kUnsupportedSuffix = " is not supported";

std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

struct BinaryOpInfo {
    BinOp op;
    int precedence;
};

std::optional<BinaryOpInfo> binaryOpFor(const Token &t)
{
    switch (t.kind) {
    case TokenKind::Add: return BinaryOpInfo{BinOp::Add, 4};
    case TokenKind::Sub: return BinaryOpInfo{BinOp::Sub, 4};
    case TokenKind::Mul: return BinaryOpInfo{BinOp::Mul, 5};
    case TokenKind::Div: return BinaryOpInfo{BinOp::Div, 5};
    case TokenKind::Mod: return BinaryOpInfo{BinOp::Mod, 5};
    case TokenKind::Pow: return BinaryOpInfo{BinOp::Pow, 6};
    case TokenKind::Eql: return BinaryOpInfo{BinOp::Eql, 3};
    case TokenKind::Neq: return BinaryOpInfo{BinOp::Neq, 3};
    case TokenKind::Lss: return BinaryOpInfo{BinOp::Lss, 3};
    case TokenKind::Lte: return BinaryOpInfo{BinOp::Lte, 3};
    case TokenKind::Gtr: return BinaryOpInfo{BinOp::Gtr, 3};
    case TokenKind::Gte: return BinaryOpInfo{BinOp::Gte, 3};
    case TokenKind::Identifier: {
        const std::string key = lower(t.text);
        if (key == "or")
            return BinaryOpInfo{BinOp::Or, 1};
        if (key == "and")
            return BinaryOpInfo{BinOp::And, 2};
        if (key == "unless")
            return BinaryOpInfo{BinOp::Unless, 2};
        if (key == "atan2")
            return BinaryOpInfo{BinOp::Atan2, 5};
        return std::nullopt;
    }
    default: return std::nullopt;
    }
}

constexpr int kUnaryPrecedence = 6; // operand of unary minus absorbs only `^`

std::uint32_t depthOf(const ExprPtr &e)
{
    return e ? e->depth : 0;
}

/// childDepth is the depth of a node's deepest child (0 for a leaf).
std::uint32_t childDepth(const Expr::Node &node)
{
    return std::visit(Overloaded{
                          [](const SubqueryExpr &n) { return depthOf(n.expr); },
                          [](const ParenExpr &n) { return depthOf(n.expr); },
                          [](const UnaryExpr &n) { return depthOf(n.expr); },
                          [](const BinaryExpr &n) { return std::max(depthOf(n.lhs), depthOf(n.rhs)); },
                          [](const AggregateExpr &n) { return std::max(depthOf(n.expr), depthOf(n.param)); },
                          [](const Call &n) {
                              std::uint32_t d = 0;
                              for (const auto &arg : n.args)
                                  d = std::max(d, depthOf(arg));
                              return d;
                          },
                          [](const auto &) { return std::uint32_t{0}; },
                      },
                      node);
}

std::string formatPosition(std::string_view input, std::size_t pos)
{
    std::size_t line = 1;
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i < pos && i < input.size(); ++i) {
        if (input[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    const std::string col = "col " + std::to_string(pos - lineStart + 1);
    return line > 1 ? "line " + std::to_string(line) + ", " + col : col;
}

} // namespace

Result<ExprPtr> parse(std::string_view expr)
{
    return Parser(expr).parse();
}

bool isUnsupported(const Error &error)
{
    return error.message.ends_with(kUnsupportedSuffix);
}

Parser::Parser(std::string_view input)
    : m_input(input)
{
}

Result<ExprPtr> Parser::parse()
{
    if (m_input.size() > kMaxExprBytes)
        return fail("expression is " + std::to_string(m_input.size()) + " bytes long; the limit is " +
                    std::to_string(kMaxExprBytes >> 10) + " KiB");
    auto tokens = tokenize(m_input);
    if (!tokens)
        return fail(formatPosition(m_input, tokens.error().pos) + ": " + tokens.error().message);
    m_tokens = std::move(*tokens);
    m_index = 0;
    try {
        if (peek().kind == TokenKind::End)
            failAt(0, "no expression found in input");
        ExprPtr expr = parseExpr(0);
        if (peek().kind != TokenKind::End)
            unexpected(peek());
        return expr;
    } catch (const ParseFailure &failure) {
        return fail(formatPosition(m_input, failure.pos) + ": " + failure.message);
    }
}

const Token &Parser::peek(std::size_t ahead) const
{
    return m_tokens[std::min(m_index + ahead, m_tokens.size() - 1)];
}

const Token &Parser::next()
{
    const Token &t = m_tokens[m_index];
    if (m_index + 1 < m_tokens.size())
        ++m_index;
    return t;
}

bool Parser::peekKeyword(std::string_view keyword, std::size_t ahead) const
{
    const Token &t = peek(ahead);
    return t.kind == TokenKind::Identifier && lower(t.text) == keyword;
}

const Token &Parser::expect(TokenKind kind, std::string_view what)
{
    if (peek().kind != kind)
        unexpected(peek(), what);
    return next();
}

void Parser::failAt(std::size_t pos, std::string message) const
{
    throw ParseFailure{pos, std::move(message)};
}

void Parser::unexpected(const Token &token, std::string_view context) const
{
    std::string message = "unexpected " + describeToken(token);
    if (!context.empty())
        message += ", expected " + std::string(context);
    failAt(token.pos, std::move(message));
}

ExprPtr Parser::makeNode(Expr::Node node, std::size_t start, std::size_t end) const
{
    const std::uint32_t depth = childDepth(node) + 1;
    if (depth > kMaxExprDepth)
        failAt(start, "expression nests deeper than " + std::to_string(kMaxExprDepth) + " levels");
    auto e = std::make_unique<Expr>();
    e->node = std::move(node);
    e->pos = PosRange{start, end};
    e->depth = depth;
    return e;
}

ExprPtr Parser::parseExpr(int minPrecedence)
{
    // Every nested construct (parentheses, arguments, operands) comes through here: bounding the
    // calls in progress bounds the parser's own stack before any node is built.
    if (m_nesting >= kMaxExprDepth)
        failAt(peek().pos, "expression nests deeper than " + std::to_string(kMaxExprDepth) + " levels");
    ++m_nesting;
    struct Leave {
        std::uint32_t &n;
        ~Leave() { --n; }
    } leave{m_nesting};
    ExprPtr lhs = parseUnary();
    for (;;) {
        const Token &opToken = peek();
        const auto info = binaryOpFor(opToken);
        if (!info || info->precedence < minPrecedence)
            return lhs;
        const Token tokenCopy = next();
        BinaryExpr modifiers;
        parseVectorMatching(modifiers);
        // `^` is right-associative; every other operator is left-associative.
        const int nextMin = info->op == BinOp::Pow ? info->precedence : info->precedence + 1;
        ExprPtr rhs = parseExpr(nextMin);
        lhs = makeBinary(info->op, std::move(lhs), std::move(rhs), std::move(modifiers), tokenCopy);
    }
}

void Parser::parseVectorMatching(BinaryExpr &binary)
{
    if (peekKeyword("bool")) {
        next();
        binary.returnBool = true;
    }
    bool hasMatching = false;
    if (peekKeyword("on") || peekKeyword("ignoring")) {
        binary.matching.on = peekKeyword("on");
        next();
        binary.matching.labels = parseLabelList();
        hasMatching = true;
    }
    if (peekKeyword("group_left") || peekKeyword("group_right")) {
        const Token &t = next();
        binary.matching.card = lower(t.text) == "group_left" ? VectorMatching::Card::ManyToOne
                                                             : VectorMatching::Card::OneToMany;
        if (peek().kind == TokenKind::LeftParen)
            binary.matching.include = parseLabelList();
        if (!hasMatching)
            failAt(t.pos, "unexpected grouping modifier \"" + std::string(t.text) + "\" without on() or ignoring()");
    }
}

ExprPtr Parser::makeBinary(BinOp op, ExprPtr lhs, ExprPtr rhs, BinaryExpr b, const Token &opToken)
{
    const std::size_t start = lhs->pos.start;
    const std::size_t end = rhs->pos.end;
    const ValueType lt = lhs->type();
    const ValueType rt = rhs->type();
    const bool hasMatching = b.matching.on || !b.matching.labels.empty() || !b.matching.include.empty() ||
                             b.matching.card != VectorMatching::Card::OneToOne;
    const std::string opName(binOpName(op));
    if (b.returnBool && !isComparison(op))
        failAt(opToken.pos, "bool modifier can only be used on comparison operators");
    if ((lt != ValueType::Scalar && lt != ValueType::Vector) || (rt != ValueType::Scalar && rt != ValueType::Vector))
        failAt(lt != ValueType::Scalar && lt != ValueType::Vector ? start : rhs->pos.start,
               "binary expression must contain only scalar and instant vector types");
    if (isComparison(op) && !b.returnBool && lt == ValueType::Scalar && rt == ValueType::Scalar)
        failAt(opToken.pos, "comparisons between scalars must use BOOL modifier");
    if (isSetOperator(op)) {
        if (lt == ValueType::Scalar || rt == ValueType::Scalar)
            failAt(opToken.pos, "set operator \"" + opName + "\" not allowed in binary scalar expression");
        if (b.matching.card == VectorMatching::Card::ManyToOne || b.matching.card == VectorMatching::Card::OneToMany)
            failAt(opToken.pos, "no grouping allowed for \"" + opName + "\" operation");
        b.matching.card = VectorMatching::Card::ManyToMany;
    }
    if (hasMatching && (lt != ValueType::Vector || rt != ValueType::Vector))
        failAt(opToken.pos, "vector matching only allowed between instant vectors");
    for (const auto &l : b.matching.include) {
        if (b.matching.on && std::find(b.matching.labels.begin(), b.matching.labels.end(), l) != b.matching.labels.end())
            failAt(opToken.pos, "label \"" + l + "\" must not occur in ON and GROUP clause at once");
    }
    b.op = op;
    b.lhs = std::move(lhs);
    b.rhs = std::move(rhs);
    return makeNode(std::move(b), start, end);
}

ExprPtr Parser::parseUnary()
{
    const Token &t = peek();
    if (t.kind != TokenKind::Add && t.kind != TokenKind::Sub)
        return parsePostfix(parsePrimary());
    const Token op = next();
    ExprPtr operand = parseExpr(kUnaryPrecedence);
    const ValueType type = operand->type();
    if (type != ValueType::Scalar && type != ValueType::Vector)
        failAt(op.pos, "unary expression only allowed on expressions of type scalar or instant vector");
    if (op.kind == TokenKind::Add) {
        operand->pos.start = op.pos;
        return operand;
    }
    const std::size_t end = operand->pos.end;
    if (auto *number = std::get_if<NumberLiteral>(&operand->node)) {
        number->value = -number->value;
        operand->pos.start = op.pos;
        return operand;
    }
    return makeNode(UnaryExpr{std::move(operand)}, op.pos, end);
}

ExprPtr Parser::parsePostfix(ExprPtr expr)
{
    for (;;) {
        const Token &t = peek();
        if (t.kind == TokenKind::LeftBracket) {
            const std::size_t open = next().pos;
            const Token &range = expect(TokenKind::Duration, "duration in range or subquery");
            const std::int64_t rangeMs = range.durationMs;
            if (rangeMs <= 0)
                failAt(range.pos, "range must be positive");
            if (peek().kind == TokenKind::Colon) {
                next();
                std::int64_t stepMs = 0;
                if (peek().kind == TokenKind::Duration) {
                    const Token &step = next();
                    stepMs = step.durationMs;
                    if (stepMs <= 0)
                        failAt(step.pos, "subquery step must be positive");
                }
                const std::size_t end = expect(TokenKind::RightBracket, "\"]\"").pos + 1;
                if (expr->type() != ValueType::Vector)
                    failAt(expr->pos.start, "subquery is only allowed on instant vector, got " +
                                                std::string(valueTypeName(expr->type())) + " instead");
                const std::size_t start = expr->pos.start;
                expr = makeNode(SubqueryExpr{std::move(expr), rangeMs, stepMs, 0, {}}, start, end);
                continue;
            }
            const std::size_t end = expect(TokenKind::RightBracket, "\"]\" or \":\"").pos + 1;
            auto *vs = std::get_if<VectorSelector>(&expr->node);
            if (!vs)
                failAt(open, "ranges only allowed for vector selectors");
            if (vs->offsetMs != 0 || vs->at.kind != AtModifier::Kind::None)
                failAt(open, "no offset or @ modifiers allowed before range");
            const std::size_t start = expr->pos.start;
            expr = makeNode(MatrixSelector{std::move(*vs), rangeMs}, start, end);
            continue;
        }
        if (peekKeyword("offset")) {
            applyOffset(*expr, next().pos);
            continue;
        }
        if (t.kind == TokenKind::At) {
            applyAt(*expr, next().pos);
            continue;
        }
        return expr;
    }
}

void Parser::applyOffset(Expr &expr, std::size_t pos)
{
    bool negative = false;
    if (peek().kind == TokenKind::Sub) {
        next();
        negative = true;
    }
    const Token &d = expect(TokenKind::Duration, "duration after offset");
    const std::int64_t offset = negative ? -d.durationMs : d.durationMs;
    std::int64_t *target = nullptr;
    if (auto *vs = std::get_if<VectorSelector>(&expr.node))
        target = &vs->offsetMs;
    else if (auto *ms = std::get_if<MatrixSelector>(&expr.node))
        target = &ms->selector.offsetMs;
    else if (auto *sq = std::get_if<SubqueryExpr>(&expr.node))
        target = &sq->offsetMs;
    if (!target)
        failAt(pos, "offset modifier must be preceded by an instant vector selector or range vector selector or "
                    "a subquery");
    if (*target != 0)
        failAt(pos, "offset may not be set multiple times");
    *target = offset;
    expr.pos.end = d.pos + d.text.size();
}

void Parser::applyAt(Expr &expr, std::size_t pos)
{
    AtModifier at;
    std::size_t end = 0;
    if (peekKeyword("start") || peekKeyword("end")) {
        at.kind = peekKeyword("start") ? AtModifier::Kind::Start : AtModifier::Kind::End;
        next();
        expect(TokenKind::LeftParen, "\"(\"");
        end = expect(TokenKind::RightParen, "\")\"").pos + 1;
    } else {
        double sign = 1;
        if (peek().kind == TokenKind::Sub || peek().kind == TokenKind::Add) {
            sign = next().kind == TokenKind::Sub ? -1 : 1;
        }
        const Token &n = expect(TokenKind::Number, "timestamp after @");
        const double seconds = sign * n.number;
        if (!std::isfinite(seconds) || std::abs(seconds) > 9.2e15)
            failAt(n.pos, "timestamp out of bounds for @ modifier");
        at.kind = AtModifier::Kind::Timestamp;
        at.timestampMs = static_cast<std::int64_t>(std::llround(seconds * 1000.0));
        end = n.pos + n.text.size();
    }
    AtModifier *target = nullptr;
    if (auto *vs = std::get_if<VectorSelector>(&expr.node))
        target = &vs->at;
    else if (auto *ms = std::get_if<MatrixSelector>(&expr.node))
        target = &ms->selector.at;
    else if (auto *sq = std::get_if<SubqueryExpr>(&expr.node))
        target = &sq->at;
    if (!target)
        failAt(pos, "@ modifier must be preceded by an instant vector selector or range vector selector or a "
                    "subquery");
    if (target->kind != AtModifier::Kind::None)
        failAt(pos, "@ <timestamp> may not be set multiple times");
    *target = at;
    expr.pos.end = end;
}

} // namespace pulse::promql
