// Tokens of GraphQL source text (the lexical grammar of the October 2021 spec), with the line and
// column of each token for error locations.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace pulse::demo {

/// SourceLocation is 1-based; columns count Unicode code points, as GraphQL error locations do.
struct SourceLocation {
    int line = 1;
    int column = 1;
};

/// GraphqlError is one entry of a response's "errors" array.
struct GraphqlError {
    std::string message;
    std::vector<SourceLocation> locations;
};

enum class GraphqlTokenKind { EndOfFile, Punctuator, Name, Int, Float, String, BlockString };

struct GraphqlToken {
    GraphqlTokenKind kind = GraphqlTokenKind::EndOfFile;
    /// text is the punctuator or name, the number as written, or the string's decoded value.
    std::string text;
    SourceLocation location;

    bool is(std::string_view punctuator) const { return kind == GraphqlTokenKind::Punctuator && text == punctuator; }
    /// describe names the token for "Expected Name, found …" messages: `"}"`, `Name "foo"`, `<EOF>`.
    std::string describe() const;
};

/// GraphqlLexer hands out one token at a time, skipping whitespace, commas, comments and the BOM.
class GraphqlLexer {
public:
    explicit GraphqlLexer(std::string_view source) : m_source(source) {}

    /// next returns the next token, or a syntax error located where the bad character is.
    std::expected<GraphqlToken, GraphqlError> next();

private:
    char peek(std::size_t ahead = 0) const;
    void advance(std::size_t count = 1);
    void skipIgnored();
    GraphqlError errorHere(std::string message) const;
    std::expected<GraphqlToken, GraphqlError> readNumber(GraphqlToken token);
    std::expected<GraphqlToken, GraphqlError> readString(GraphqlToken token);
    std::expected<GraphqlToken, GraphqlError> readBlockString(GraphqlToken token);

    std::string_view m_source;
    std::size_t m_pos = 0;
    int m_line = 1;
    int m_column = 1;
};

} // namespace pulse::demo
