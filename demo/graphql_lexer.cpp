// The GraphQL lexer for the demo service's /graphql endpoint.
#include "demo/graphql_lexer.h"

#include "core/base/text_encoding.h"

#include <cstdio>

namespace pulse::demo {
namespace {

bool isNameStart(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
    if (isDigit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::string quoted(char c)
{
    if (static_cast<unsigned char>(c) >= 0x80)
        return "a non-ASCII character";
    if (c == '"')
        return "'\"'";
    return std::string("\"") + c + '"';
}

} // namespace

std::string GraphqlToken::describe() const
{
    switch (kind) {
    case GraphqlTokenKind::EndOfFile:
        return "<EOF>";
    case GraphqlTokenKind::Punctuator:
        return '"' + text + '"';
    case GraphqlTokenKind::Name:
        return "Name \"" + text + '"';
    case GraphqlTokenKind::Int:
        return "Int \"" + text + '"';
    case GraphqlTokenKind::Float:
        return "Float \"" + text + '"';
    case GraphqlTokenKind::String:
        return "String";
    case GraphqlTokenKind::BlockString:
        return "BlockString";
    }
    return "token";
}

char GraphqlLexer::peek(std::size_t ahead) const
{
    return m_pos + ahead < m_source.size() ? m_source[m_pos + ahead] : '\0';
}

void GraphqlLexer::advance(std::size_t count)
{
    for (; count > 0 && m_pos < m_source.size(); --count) {
        const char c = m_source[m_pos++];
        if (c == '\n' || (c == '\r' && peek() != '\n')) {
            ++m_line;
            m_column = 1;
        } else if (c != '\r' && (static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            // UTF-8 continuation bytes belong to the code point already counted.
            ++m_column;
        }
    }
}

GraphqlError GraphqlLexer::errorHere(std::string message) const
{
    return GraphqlError{"Syntax Error: " + std::move(message), {SourceLocation{m_line, m_column}}};
}

void GraphqlLexer::skipIgnored()
{
    while (m_pos < m_source.size()) {
        const char c = peek();
        if (c == ' ' || c == '\t' || c == ',' || c == '\n' || c == '\r') {
            advance();
        } else if (c == '#') {
            while (m_pos < m_source.size() && peek() != '\n' && peek() != '\r')
                advance();
        } else if (m_source.substr(m_pos).starts_with("\xEF\xBB\xBF")) {
            advance(3);
        } else {
            return;
        }
    }
}

std::expected<GraphqlToken, GraphqlError> GraphqlLexer::next()
{
    skipIgnored();
    GraphqlToken token;
    token.location = {m_line, m_column};
    if (m_pos >= m_source.size())
        return token;

    const char c = peek();
    if (c == '.') {
        if (peek(1) == '.' && peek(2) == '.') {
            advance(3);
            token.kind = GraphqlTokenKind::Punctuator;
            token.text = "...";
            return token;
        }
        return std::unexpected(errorHere("Unexpected character: \".\"."));
    }
    if (std::string_view("!$&()[]{}:=@|").find(c) != std::string_view::npos) {
        advance();
        token.kind = GraphqlTokenKind::Punctuator;
        token.text = std::string(1, c);
        return token;
    }
    if (isNameStart(c)) {
        const std::size_t start = m_pos;
        while (isNameStart(peek()) || isDigit(peek()))
            advance();
        token.kind = GraphqlTokenKind::Name;
        token.text = std::string(m_source.substr(start, m_pos - start));
        return token;
    }
    if (c == '-' || isDigit(c))
        return readNumber(std::move(token));
    if (c == '"')
        return peek(1) == '"' && peek(2) == '"' ? readBlockString(std::move(token)) : readString(std::move(token));
    if (static_cast<unsigned char>(c) < 0x20) {
        char code[8];
        std::snprintf(code, sizeof code, "%04X", unsigned(static_cast<unsigned char>(c)));
        return std::unexpected(errorHere("Invalid character: U+" + std::string(code) + "."));
    }
    if (static_cast<unsigned char>(c) >= 0x80) {
        // Quote the whole UTF-8 sequence so the message stays valid UTF-8; broken sequences are named.
        const auto lead = static_cast<unsigned char>(c);
        const std::size_t length = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
        std::size_t continuation = 1;
        while (continuation < length && (static_cast<unsigned char>(peek(continuation)) & 0xC0) == 0x80)
            ++continuation;
        if (length == 0 || lead > 0xF4 || continuation != length)
            return std::unexpected(errorHere("Invalid UTF-8 sequence."));
        return std::unexpected(
            errorHere("Unexpected character: \"" + std::string(m_source.substr(m_pos, length)) + "\"."));
    }
    return std::unexpected(errorHere("Unexpected character: " + quoted(c) + "."));
}

std::expected<GraphqlToken, GraphqlError> GraphqlLexer::readNumber(GraphqlToken token)
{
    const std::size_t start = m_pos;
    token.kind = GraphqlTokenKind::Int;
    if (peek() == '-')
        advance();
    if (peek() == '0') {
        advance();
        if (isDigit(peek()))
            return std::unexpected(errorHere("Invalid number, unexpected digit after 0: " + quoted(peek()) + "."));
    } else {
        if (!isDigit(peek()))
            return std::unexpected(errorHere("Invalid number, expected digit but got: " +
                                             (m_pos < m_source.size() ? quoted(peek()) : std::string("<EOF>")) + "."));
        while (isDigit(peek()))
            advance();
    }
    if (peek() == '.') {
        token.kind = GraphqlTokenKind::Float;
        advance();
        if (!isDigit(peek()))
            return std::unexpected(errorHere("Invalid number, expected digit but got: " +
                                             (m_pos < m_source.size() ? quoted(peek()) : std::string("<EOF>")) + "."));
        while (isDigit(peek()))
            advance();
    }
    if (peek() == 'e' || peek() == 'E') {
        token.kind = GraphqlTokenKind::Float;
        advance();
        if (peek() == '+' || peek() == '-')
            advance();
        if (!isDigit(peek()))
            return std::unexpected(errorHere("Invalid number, expected digit but got: " +
                                             (m_pos < m_source.size() ? quoted(peek()) : std::string("<EOF>")) + "."));
        while (isDigit(peek()))
            advance();
    }
    // "123abc" or "1.2.3" is one bad token, not a number followed by a name.
    if (peek() == '.' || isNameStart(peek()))
        return std::unexpected(errorHere("Invalid number, expected digit but got: " + quoted(peek()) + "."));
    token.text = std::string(m_source.substr(start, m_pos - start));
    return token;
}

std::expected<GraphqlToken, GraphqlError> GraphqlLexer::readString(GraphqlToken token)
{
    token.kind = GraphqlTokenKind::String;
    advance();
    while (m_pos < m_source.size()) {
        const char c = peek();
        if (c == '"') {
            advance();
            return token;
        }
        if (c == '\n' || c == '\r')
            break;
        if (c != '\\') {
            token.text += c;
            advance();
            continue;
        }
        const char escape = peek(1);
        static constexpr std::string_view kSimple = "\"\\/bfnrt";
        static constexpr std::string_view kDecoded = "\"\\/\b\f\n\r\t";
        if (const auto simple = kSimple.find(escape); simple != std::string_view::npos && escape != '\0') {
            token.text += kDecoded[simple];
            advance(2);
            continue;
        }
        if (escape == 'u') {
            unsigned codePoint = 0;
            bool valid = true;
            for (std::size_t i = 2; i < 6; ++i) {
                const int digit = hexValue(peek(i));
                valid = valid && digit >= 0;
                codePoint = codePoint * 16 + unsigned(digit < 0 ? 0 : digit);
            }
            if (valid) {
                appendUtf8(token.text, codePoint);
                advance(6);
                continue;
            }
        }
        return std::unexpected(errorHere("Invalid character escape sequence: \"\\" + std::string(1, escape) + "\"."));
    }
    return std::unexpected(errorHere("Unterminated string."));
}

std::expected<GraphqlToken, GraphqlError> GraphqlLexer::readBlockString(GraphqlToken token)
{
    // The raw value is kept; the demo schema has no arguments, so block strings are only ever skipped.
    token.kind = GraphqlTokenKind::BlockString;
    advance(3);
    while (m_pos < m_source.size()) {
        if (m_source.substr(m_pos).starts_with("\\\"\"\"")) {
            token.text += "\"\"\"";
            advance(4);
        } else if (m_source.substr(m_pos).starts_with("\"\"\"")) {
            advance(3);
            return token;
        } else {
            token.text += peek();
            advance();
        }
    }
    return std::unexpected(errorHere("Unterminated string."));
}

} // namespace pulse::demo
