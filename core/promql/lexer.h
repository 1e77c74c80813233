// Lexer: splits a PromQL expression into tokens with byte positions.
#pragma once

#include "core/base/error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pulse::promql {

enum class TokenKind {
    End,
    Identifier, ///< names without ':' (also keywords, function names, Inf, NaN)
    MetricIdentifier, ///< names containing ':' (recording-rule style)
    Number,
    Duration,
    String,
    LeftParen,
    RightParen,
    LeftBrace,
    RightBrace,
    LeftBracket,
    RightBracket,
    Comma,
    Colon,
    Assign,   ///< =
    EqlRegex, ///< =~
    NeqRegex, ///< !~
    At,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Eql,
    Neq,
    Lss,
    Lte,
    Gtr,
    Gte,
};

struct Token {
    TokenKind kind = TokenKind::End;
    std::size_t pos = 0;   ///< byte offset of the first character
    std::string_view text; ///< the raw text
    double number = 0;     ///< for Number
    std::int64_t durationMs = 0; ///< for Duration
    std::string value;     ///< decoded content for String
};

/// LexError is a lexing failure at a byte offset.
struct LexError {
    std::size_t pos = 0;
    std::string message;
};

/// tokenize splits `input`; the last token is always End. Comments (`#` to end of line) are skipped.
std::expected<std::vector<Token>, LexError> tokenize(std::string_view input);

/// describeToken names a token for error messages ("identifier \"foo\"", "\"(\"").
std::string describeToken(const Token &token);

/// unquoteString decodes a Go-style quoted string body (without its quotes) for quote character `q`.
std::expected<std::string, std::string> unquoteString(std::string_view body, char quote);

} // namespace pulse::promql
