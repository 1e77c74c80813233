// A recursive-descent parser for the GraphQL subset the demo service executes: query operations
// (shorthand or `query Name(...)`) made of fields with aliases, arguments and nested selection sets.
// Fragments and directives are valid GraphQL but not supported here; they are rejected with a
// located error instead of being misread.
#pragma once

#include "demo/graphql_lexer.h"

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace pulse::demo {

struct GraphqlArgument {
    std::string name;
    SourceLocation location;
};

struct GraphqlField {
    /// alias is empty when the field has none.
    std::string alias;
    std::string name;
    /// location is where the field starts: its alias if it has one, as GraphQL error locations expect.
    SourceLocation location;
    std::vector<GraphqlArgument> arguments;
    bool hasSelectionSet = false;
    std::vector<GraphqlField> selections;

    const std::string &responseKey() const { return alias.empty() ? name : alias; }
};

struct GraphqlOperation {
    /// type is "query", "mutation" or "subscription"; shorthand `{ … }` is a query.
    std::string type = "query";
    /// name is empty for an anonymous operation.
    std::string name;
    SourceLocation location;
    std::vector<GraphqlField> selections;
};

struct GraphqlDocument {
    std::vector<GraphqlOperation> operations;
};

class GraphqlParser {
public:
    /// kMaxDepth bounds nesting of selections and values, so a hostile body cannot exhaust the stack.
    static constexpr int kMaxDepth = 64;

    /// parse reads a whole document; the error is the first syntax error, located.
    static std::expected<GraphqlDocument, GraphqlError> parse(std::string_view source);

private:
    explicit GraphqlParser(std::string_view source) : m_lexer(source) {}

    bool advance();
    bool fail(std::string message, SourceLocation location);
    bool unexpected();
    bool expectPunctuator(std::string_view punctuator);
    bool expectName();
    bool unsupported(std::string_view what);

    bool parseDocument(GraphqlDocument &document);
    bool parseOperation(GraphqlOperation &operation);
    bool parseVariableDefinitions();
    bool parseType(int depth);
    bool parseSelectionSet(std::vector<GraphqlField> &selections, int depth);
    bool parseField(GraphqlField &field, int depth);
    bool parseArguments(std::vector<GraphqlArgument> &arguments, int depth);
    bool parseValue(int depth);

    GraphqlLexer m_lexer;
    GraphqlToken m_token;
    GraphqlError m_error;
};

} // namespace pulse::demo
