// Parser, part two: primary expressions — literals, selectors, aggregations and function calls —
// with Prometheus's argument and type checks.
#include "core/promql/function_catalog.h"
#include "core/promql/parser.h"
#include "core/selection/anchored_regex.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace pulse::promql {
namespace {

std::string lowerCase(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::optional<AggOp> aggregatorNamed(std::string_view word)
{
    static const std::pair<std::string_view, AggOp> table[] = {
        {"sum", AggOp::Sum},         {"avg", AggOp::Avg},       {"count", AggOp::Count},
        {"min", AggOp::Min},         {"max", AggOp::Max},       {"group", AggOp::Group},
        {"stddev", AggOp::Stddev},   {"stdvar", AggOp::Stdvar}, {"topk", AggOp::Topk},
        {"bottomk", AggOp::Bottomk}, {"count_values", AggOp::CountValues}, {"quantile", AggOp::Quantile}};
    const std::string key = lowerCase(word);
    for (const auto &[name, op] : table) {
        if (name == key)
            return op;
    }
    return std::nullopt;
}

bool isKeyword(std::string_view word)
{
    static const std::string_view words[] = {"and", "or", "unless", "atan2", "by", "without", "on", "ignoring",
                                             "group_left", "group_right", "bool", "offset"};
    const std::string key = lowerCase(word);
    return std::find(std::begin(words), std::end(words), key) != std::end(words);
}

std::size_t tokenEnd(const Token &t)
{
    return t.pos + t.text.size();
}

} // namespace

ExprPtr Parser::parsePrimary()
{
    const Token &t = peek();
    switch (t.kind) {
    case TokenKind::Number: {
        const Token &n = next();
        return makeNode(NumberLiteral{n.number}, n.pos, tokenEnd(n));
    }
    case TokenKind::String: {
        const Token &s = next();
        return makeNode(StringLiteral{s.value}, s.pos, tokenEnd(s));
    }
    case TokenKind::LeftParen: {
        const std::size_t start = next().pos;
        ExprPtr inner = parseExpr(0);
        const std::size_t end = tokenEnd(expect(TokenKind::RightParen, "\")\""));
        return makeNode(ParenExpr{std::move(inner)}, start, end);
    }
    case TokenKind::LeftBrace: return parseSelector(std::string(), t.pos);
    case TokenKind::Identifier:
    case TokenKind::MetricIdentifier: {
        const std::string key = lowerCase(t.text);
        if (t.kind == TokenKind::Identifier && (key == "inf" || key == "nan")) {
            const Token &n = next();
            const double v = key == "inf" ? std::numeric_limits<double>::infinity()
                                          : std::numeric_limits<double>::quiet_NaN();
            return makeNode(NumberLiteral{v}, n.pos, tokenEnd(n));
        }
        if (t.kind == TokenKind::Identifier) {
            if (const auto agg = aggregatorNamed(t.text)) {
                const TokenKind after = peek(1).kind;
                if (after == TokenKind::LeftParen || peekKeyword("by", 1) || peekKeyword("without", 1)) {
                    const std::size_t start = next().pos;
                    return parseAggregate(*agg, start);
                }
            }
            if (peek(1).kind == TokenKind::LeftParen)
                return parseCall();
            if (isKeyword(t.text) || aggregatorNamed(t.text))
                unexpected(t);
        }
        const Token &name = next();
        return parseSelector(std::string(name.text), name.pos);
    }
    default: unexpected(t);
    }
}

std::string Parser::parseLabelName()
{
    const Token &t = peek();
    if (t.kind != TokenKind::Identifier)
        unexpected(t, "label name");
    return std::string(next().text);
}

std::vector<std::string> Parser::parseLabelList()
{
    expect(TokenKind::LeftParen, "\"(\" before label list");
    std::vector<std::string> labels;
    while (peek().kind != TokenKind::RightParen) {
        labels.push_back(parseLabelName());
        if (peek().kind == TokenKind::Comma)
            next();
        else if (peek().kind != TokenKind::RightParen)
            unexpected(peek(), "\",\" or \")\" in label list");
    }
    next();
    return labels;
}

ExprPtr Parser::parseSelector(const std::string &name, std::size_t start)
{
    VectorSelector vs;
    vs.name = name;
    if (!name.empty())
        vs.matchers.push_back(LabelMatcher{"__name__", LabelMatcher::Op::Equal, name});
    std::size_t end = start + name.size();
    if (peek().kind == TokenKind::LeftBrace) {
        next();
        while (peek().kind != TokenKind::RightBrace) {
            const std::size_t labelPos = peek().pos;
            LabelMatcher m;
            m.name = parseLabelName();
            const Token &op = next();
            switch (op.kind) {
            case TokenKind::Assign: m.op = LabelMatcher::Op::Equal; break;
            case TokenKind::Neq: m.op = LabelMatcher::Op::NotEqual; break;
            case TokenKind::EqlRegex: m.op = LabelMatcher::Op::Regex; break;
            case TokenKind::NeqRegex: m.op = LabelMatcher::Op::NotRegex; break;
            default: unexpected(op, "label matching operator");
            }
            const Token &value = expect(TokenKind::String, "label value string");
            m.value = value.value;
            if (m.op == LabelMatcher::Op::Regex || m.op == LabelMatcher::Op::NotRegex) {
                auto regex = AnchoredRegex::compile(m.value);
                if (!regex)
                    failAt(value.pos, regex.error().message);
            }
            if (m.name == "__name__" && !name.empty())
                failAt(labelPos, "metric name must not be set twice: \"" + name + "\" or \"" + m.value + "\"");
            vs.matchers.push_back(std::move(m));
            if (peek().kind == TokenKind::Comma)
                next();
            else if (peek().kind != TokenKind::RightBrace)
                unexpected(peek(), "\",\" or \"}\" in label matching");
        }
        end = tokenEnd(next());
    }
    for (const auto &m : vs.matchers) {
        if (m.name == "__name__" && m.op == LabelMatcher::Op::Equal)
            vs.name = m.value;
    }
    checkSelector(vs, start);
    return makeNode(std::move(vs), start, end);
}

void Parser::checkSelector(const VectorSelector &selector, std::size_t pos) const
{
    for (const auto &m : selector.matchers) {
        bool matchesEmpty = false;
        switch (m.op) {
        case LabelMatcher::Op::Equal: matchesEmpty = m.value.empty(); break;
        case LabelMatcher::Op::NotEqual: matchesEmpty = !m.value.empty(); break;
        case LabelMatcher::Op::Regex: matchesEmpty = AnchoredRegex::compile(m.value)->matches(""); break;
        case LabelMatcher::Op::NotRegex: matchesEmpty = !AnchoredRegex::compile(m.value)->matches(""); break;
        }
        if (!matchesEmpty)
            return;
    }
    failAt(pos, "vector selector must contain at least one non-empty matcher");
}

std::vector<ExprPtr> Parser::parseArguments()
{
    expect(TokenKind::LeftParen, "\"(\"");
    std::vector<ExprPtr> args;
    while (peek().kind != TokenKind::RightParen) {
        args.push_back(parseExpr(0));
        if (peek().kind == TokenKind::Comma) {
            next();
            if (peek().kind == TokenKind::RightParen)
                unexpected(peek(), "expression");
        } else if (peek().kind != TokenKind::RightParen) {
            unexpected(peek(), "\",\" or \")\"");
        }
    }
    return args;
}

ExprPtr Parser::parseAggregate(AggOp op, std::size_t start)
{
    AggregateExpr agg;
    agg.op = op;
    bool grouped = false;
    auto parseGrouping = [&]() {
        const Token &kw = peek();
        if (grouped)
            failAt(kw.pos, "aggregation may have only one by/without clause");
        agg.without = peekKeyword("without");
        next();
        agg.grouping = parseLabelList();
        grouped = true;
    };
    if (peekKeyword("by") || peekKeyword("without"))
        parseGrouping();
    const std::size_t argsPos = peek().pos;
    std::vector<ExprPtr> args = parseArguments();
    std::size_t end = tokenEnd(next());
    if (peekKeyword("by") || peekKeyword("without")) {
        parseGrouping();
        end = tokenEnd(m_tokens[m_index - 1]);
    }
    const bool hasParam = op == AggOp::Topk || op == AggOp::Bottomk || op == AggOp::Quantile || op == AggOp::CountValues;
    const std::size_t wanted = hasParam ? 2 : 1;
    if (args.size() != wanted)
        failAt(argsPos, "wrong number of arguments for aggregate expression provided, expected " +
                            std::to_string(wanted) + ", got " + std::to_string(args.size()));
    if (hasParam) {
        agg.param = std::move(args[0]);
        const ValueType want = op == AggOp::CountValues ? ValueType::String : ValueType::Scalar;
        if (agg.param->type() != want)
            failAt(agg.param->pos.start, "expected type " + std::string(valueTypeName(want)) +
                                             " in aggregation parameter, got " +
                                             std::string(valueTypeName(agg.param->type())));
    }
    agg.expr = std::move(args.back());
    if (agg.expr->type() != ValueType::Vector)
        failAt(agg.expr->pos.start, "expected type instant vector in aggregation expression, got " +
                                        std::string(valueTypeName(agg.expr->type())));
    return makeNode(std::move(agg), start, end);
}

ExprPtr Parser::parseCall()
{
    const Token name = next();
    const FunctionInfo *func = findFunction(name.text);
    if (!func)
        failAt(name.pos, "unknown function with name \"" + std::string(name.text) + "\"");
    if (!func->supported)
        failAt(name.pos, "function \"" + std::string(name.text) + "\" is not supported");
    std::vector<ExprPtr> args = parseArguments();
    const std::size_t end = tokenEnd(next());
    const std::size_t declared = func->argTypes.size();
    const std::string quoted = "\"" + std::string(func->name) + "\"";
    if (func->variadic == 0 && args.size() != declared)
        failAt(name.pos, "expected " + std::to_string(declared) + " argument(s) in call to " + quoted + ", got " +
                             std::to_string(args.size()));
    if (func->variadic > 0) {
        const std::size_t min = declared - static_cast<std::size_t>(func->variadic);
        if (args.size() < min || args.size() > declared)
            failAt(name.pos, "expected " + std::to_string(min) + " to " + std::to_string(declared) +
                                 " argument(s) in call to " + quoted + ", got " + std::to_string(args.size()));
    }
    if (func->variadic < 0 && args.size() + 1 < declared)
        failAt(name.pos, "expected at least " + std::to_string(declared - 1) + " argument(s) in call to " + quoted +
                             ", got " + std::to_string(args.size()));
    for (std::size_t i = 0; i < args.size(); ++i) {
        const ValueType want = func->argTypes[std::min(i, declared - 1)];
        const ValueType got = args[i]->type();
        if (got != want)
            failAt(args[i]->pos.start, "expected type " + std::string(valueTypeName(want)) + " in call to function " +
                                           quoted + ", got " + std::string(valueTypeName(got)));
    }
    return makeNode(Call{func, std::move(args)}, name.pos, end);
}

} // namespace pulse::promql
