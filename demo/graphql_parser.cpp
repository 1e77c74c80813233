// Recursive-descent parsing of the demo service's GraphQL subset. Each parse step returns false after
// recording the first error in m_error; parse() turns that into the returned value.
#include "demo/graphql_parser.h"

namespace pulse::demo {

std::expected<GraphqlDocument, GraphqlError> GraphqlParser::parse(std::string_view source)
{
    GraphqlParser parser(source);
    GraphqlDocument document;
    if (!parser.advance() || !parser.parseDocument(document))
        return std::unexpected(std::move(parser.m_error));
    return document;
}

bool GraphqlParser::advance()
{
    auto token = m_lexer.next();
    if (!token) {
        m_error = std::move(token.error());
        return false;
    }
    m_token = std::move(*token);
    return true;
}

bool GraphqlParser::fail(std::string message, SourceLocation location)
{
    m_error = GraphqlError{std::move(message), {location}};
    return false;
}

bool GraphqlParser::unexpected()
{
    return fail("Syntax Error: Unexpected " + m_token.describe() + ".", m_token.location);
}

bool GraphqlParser::expectPunctuator(std::string_view punctuator)
{
    if (m_token.is(punctuator))
        return true;
    return fail("Syntax Error: Expected \"" + std::string(punctuator) + "\", found " + m_token.describe() + ".",
                m_token.location);
}

bool GraphqlParser::expectName()
{
    if (m_token.kind == GraphqlTokenKind::Name)
        return true;
    return fail("Syntax Error: Expected Name, found " + m_token.describe() + ".", m_token.location);
}

bool GraphqlParser::unsupported(std::string_view what)
{
    return fail(std::string(what) + " are not supported by this server.", m_token.location);
}

bool GraphqlParser::parseDocument(GraphqlDocument &document)
{
    // A document needs at least one definition, so an empty one fails on <EOF> here.
    do {
        if (m_token.kind == GraphqlTokenKind::Name && m_token.text == "fragment")
            return unsupported("Fragments");
        const bool isOperationKeyword =
            m_token.kind == GraphqlTokenKind::Name &&
            (m_token.text == "query" || m_token.text == "mutation" || m_token.text == "subscription");
        if (!m_token.is("{") && !isOperationKeyword)
            return unexpected();
        GraphqlOperation operation;
        if (!parseOperation(operation))
            return false;
        document.operations.push_back(std::move(operation));
    } while (m_token.kind != GraphqlTokenKind::EndOfFile);
    return true;
}

bool GraphqlParser::parseOperation(GraphqlOperation &operation)
{
    operation.location = m_token.location;
    if (m_token.kind == GraphqlTokenKind::Name) {
        operation.type = m_token.text;
        if (!advance())
            return false;
        if (m_token.kind == GraphqlTokenKind::Name) {
            operation.name = m_token.text;
            if (!advance())
                return false;
        }
        if (m_token.is("(") && !parseVariableDefinitions())
            return false;
        if (m_token.is("@"))
            return unsupported("Directives");
    }
    return parseSelectionSet(operation.selections, 1);
}

bool GraphqlParser::parseVariableDefinitions()
{
    // Variables are accepted and ignored: no field of the demo schema takes arguments to use them in.
    if (!advance())
        return false;
    do {
        if (!expectPunctuator("$") || !advance() || !expectName() || !advance() || !expectPunctuator(":") ||
            !advance() || !parseType(1))
            return false;
        if (m_token.is("=") && (!advance() || !parseValue(1)))
            return false;
        if (m_token.is("@"))
            return unsupported("Directives");
    } while (!m_token.is(")"));
    return advance();
}

bool GraphqlParser::parseType(int depth)
{
    if (depth > kMaxDepth)
        return fail("Syntax Error: Document is nested too deeply.", m_token.location);
    if (m_token.is("[")) {
        if (!advance() || !parseType(depth + 1) || !expectPunctuator("]") || !advance())
            return false;
    } else if (!expectName() || !advance()) {
        return false;
    }
    return !m_token.is("!") || advance();
}

bool GraphqlParser::parseSelectionSet(std::vector<GraphqlField> &selections, int depth)
{
    if (depth > kMaxDepth)
        return fail("Syntax Error: Document is nested too deeply.", m_token.location);
    if (!expectPunctuator("{") || !advance())
        return false;
    do {
        if (m_token.is("..."))
            return unsupported("Fragments");
        GraphqlField field;
        if (!parseField(field, depth))
            return false;
        selections.push_back(std::move(field));
    } while (!m_token.is("}"));
    return advance();
}

bool GraphqlParser::parseField(GraphqlField &field, int depth)
{
    if (!expectName())
        return false;
    field.location = m_token.location;
    field.name = m_token.text;
    if (!advance())
        return false;
    if (m_token.is(":")) {
        if (!advance() || !expectName())
            return false;
        field.alias = std::move(field.name);
        field.name = m_token.text;
        if (!advance())
            return false;
    }
    if (m_token.is("(") && !parseArguments(field.arguments, depth))
        return false;
    if (m_token.is("@"))
        return unsupported("Directives");
    if (m_token.is("{")) {
        field.hasSelectionSet = true;
        return parseSelectionSet(field.selections, depth + 1);
    }
    return true;
}

bool GraphqlParser::parseArguments(std::vector<GraphqlArgument> &arguments, int depth)
{
    if (!advance())
        return false;
    do {
        if (!expectName())
            return false;
        arguments.push_back(GraphqlArgument{m_token.text, m_token.location});
        if (!advance() || !expectPunctuator(":") || !advance() || !parseValue(depth + 1))
            return false;
    } while (!m_token.is(")"));
    return advance();
}

bool GraphqlParser::parseValue(int depth)
{
    if (depth > kMaxDepth)
        return fail("Syntax Error: Document is nested too deeply.", m_token.location);
    switch (m_token.kind) {
    case GraphqlTokenKind::Name:
    case GraphqlTokenKind::Int:
    case GraphqlTokenKind::Float:
    case GraphqlTokenKind::String:
    case GraphqlTokenKind::BlockString:
        return advance();
    case GraphqlTokenKind::EndOfFile:
        return unexpected();
    case GraphqlTokenKind::Punctuator:
        break;
    }
    if (m_token.is("$"))
        return advance() && expectName() && advance();
    if (m_token.is("[")) {
        if (!advance())
            return false;
        while (!m_token.is("]")) {
            if (!parseValue(depth + 1))
                return false;
        }
        return advance();
    }
    if (m_token.is("{")) {
        if (!advance())
            return false;
        while (!m_token.is("}")) {
            if (!expectName() || !advance() || !expectPunctuator(":") || !advance() || !parseValue(depth + 1))
                return false;
        }
        return advance();
    }
    return unexpected();
}

} // namespace pulse::demo
