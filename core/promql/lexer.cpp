// PromQL tokenizer. Numbers followed by a unit become durations ("5m", "1h30m"), as in Prometheus's
// lexer; everything that is neither a number nor a duration is rejected here, with its position.
#include "core/promql/lexer.h"

#include "core/base/duration.h"
#include "core/base/text_encoding.h"

#include <cstdlib>
#include <optional>

namespace pulse::promql {
namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isAlpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool isAlnum(char c)
{
    return isAlpha(c) || isDigit(c);
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

// durationLength returns how many characters of `text` form a duration like "1h30m", or 0.
std::size_t durationLength(std::string_view text)
{
    std::size_t pos = 0;
    while (pos < text.size() && isDigit(text[pos])) {
        while (pos < text.size() && isDigit(text[pos]))
            ++pos;
        if (text.substr(pos).starts_with("ms"))
            pos += 2;
        else if (pos < text.size() && std::string_view("smhdwy").find(text[pos]) != std::string_view::npos)
            ++pos;
        else
            return 0;
    }
    return pos;
}

// numberLength returns the length of a decimal or hex number at the start of `text`, or 0.
std::size_t numberLength(std::string_view text)
{
    std::size_t pos = 0;
    if (text.starts_with("0x") || text.starts_with("0X")) {
        pos = 2;
        while (pos < text.size() && hexValue(text[pos]) >= 0)
            ++pos;
        return pos > 2 ? pos : 0;
    }
    bool digits = false;
    while (pos < text.size() && isDigit(text[pos])) {
        ++pos;
        digits = true;
    }
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        while (pos < text.size() && isDigit(text[pos])) {
            ++pos;
            digits = true;
        }
    }
    if (!digits)
        return 0;
    if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
        std::size_t exp = pos + 1;
        if (exp < text.size() && (text[exp] == '+' || text[exp] == '-'))
            ++exp;
        if (exp < text.size() && isDigit(text[exp])) {
            while (exp < text.size() && isDigit(text[exp]))
                ++exp;
            pos = exp;
        }
    }
    return pos;
}

double parseNumberText(std::string_view text)
{
    if (text.starts_with("0x") || text.starts_with("0X")) {
        double v = 0;
        for (char c : text.substr(2))
            v = v * 16 + hexValue(c);
        return v;
    }
    return std::strtod(std::string(text).c_str(), nullptr);
}

} // namespace

std::expected<std::string, std::string> unquoteString(std::string_view body, char quote)
{
    std::string out;
    if (quote == '`')
        return std::string(body);
    for (std::size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (c != '\\') {
            out += c;
            continue;
        }
        if (++i >= body.size())
            return std::unexpected(std::string("unterminated escape sequence"));
        const char e = body[i];
        switch (e) {
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'v': out += '\v'; break;
        case '\\': out += '\\'; break;
        case '"':
        case '\'':
            if (e != quote)
                return std::unexpected(std::string("unknown escape sequence \\") + e);
            out += e;
            break;
        case 'x':
        case 'u':
        case 'U': {
            const std::size_t n = e == 'x' ? 2 : (e == 'u' ? 4 : 8);
            std::uint32_t v = 0;
            for (std::size_t k = 1; k <= n; ++k) {
                if (i + k >= body.size() || hexValue(body[i + k]) < 0)
                    return std::unexpected(std::string("invalid escape sequence \\") + e);
                v = v * 16 + static_cast<std::uint32_t>(hexValue(body[i + k]));
            }
            i += n;
            if (e == 'x')
                out += static_cast<char>(v);
            else
                appendUtf8(out, v);
            break;
        }
        default:
            if (e >= '0' && e <= '7') {
                std::uint32_t v = 0;
                for (std::size_t k = 0; k < 3; ++k) {
                    if (i + k >= body.size() || body[i + k] < '0' || body[i + k] > '7')
                        return std::unexpected(std::string("invalid octal escape sequence"));
                    v = v * 8 + static_cast<std::uint32_t>(body[i + k] - '0');
                }
                if (v > 255)
                    return std::unexpected(std::string("octal escape value > 255"));
                i += 2;
                out += static_cast<char>(v);
                break;
            }
            return std::unexpected(std::string("unknown escape sequence \\") + e);
        }
    }
    return out;
}

namespace {

/// Tokenizer turns PromQL text into tokens, one kind of token per member; each returns the error that
/// stops the input, if any. Square brackets are counted: inside them `:` separates a subquery's range
/// and step instead of belonging to a metric name.
class Tokenizer {
public:
    explicit Tokenizer(std::string_view input) : m_input(input) {}

    std::expected<std::vector<Token>, LexError> run()
    {
        while (m_pos < m_input.size()) {
            const char c = m_input[m_pos];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                ++m_pos;
                continue;
            }
            if (c == '#') {
                while (m_pos < m_input.size() && m_input[m_pos] != '\n')
                    ++m_pos;
                continue;
            }
            const std::string_view rest = m_input.substr(m_pos);
            std::optional<LexError> error;
            if (isDigit(c) || (c == '.' && rest.size() > 1 && isDigit(rest[1])))
                error = numberOrDuration(rest);
            else if (isAlpha(c) || (c == ':' && m_bracketDepth == 0))
                identifier(rest);
            else if (c == '"' || c == '\'' || c == '`')
                error = quoted(c);
            else
                error = punctuation(c, rest.size() > 1 ? rest[1] : '\0');
            if (error)
                return std::unexpected(std::move(*error));
        }
        Token end;
        end.kind = TokenKind::End;
        end.pos = m_input.size();
        m_tokens.push_back(end);
        return std::move(m_tokens);
    }

private:
    Token &emit(TokenKind kind, std::size_t length)
    {
        Token t;
        t.kind = kind;
        t.pos = m_pos;
        t.text = m_input.substr(m_pos, length);
        m_tokens.push_back(std::move(t));
        m_pos += length;
        return m_tokens.back();
    }

    std::optional<LexError> numberOrDuration(std::string_view rest)
    {
        const std::size_t durLen = durationLength(rest);
        if (durLen > 0 && (durLen == rest.size() || !isAlnum(rest[durLen]))) {
            auto d = parseDuration(rest.substr(0, durLen));
            if (!d)
                return LexError{m_pos, d.error().message};
            emit(TokenKind::Duration, durLen).durationMs = d->count();
            return std::nullopt;
        }
        const std::size_t numLen = numberLength(rest);
        if (numLen == 0 || (numLen < rest.size() && (isAlnum(rest[numLen]) || rest[numLen] == '.')))
            return LexError{m_pos, "bad number or duration syntax: \"" + std::string(rest.substr(0, numLen + 1)) + "\""};
        emit(TokenKind::Number, numLen).number = parseNumberText(rest.substr(0, numLen));
        return std::nullopt;
    }

    void identifier(std::string_view rest)
    {
        std::size_t len = 0;
        bool colon = false;
        while (len < rest.size() && (isAlnum(rest[len]) || (rest[len] == ':' && m_bracketDepth == 0))) {
            colon = colon || rest[len] == ':';
            ++len;
        }
        emit(colon ? TokenKind::MetricIdentifier : TokenKind::Identifier, len);
    }

    std::optional<LexError> quoted(char quote)
    {
        std::size_t end = m_pos + 1;
        while (end < m_input.size() && m_input[end] != quote) {
            if (m_input[end] == '\\' && quote != '`')
                ++end;
            else if (m_input[end] == '\n' && quote != '`')
                return LexError{m_pos, "unterminated quoted string"};
            ++end;
        }
        if (end >= m_input.size())
            return LexError{m_pos, "unterminated quoted string"};
        auto decoded = unquoteString(m_input.substr(m_pos + 1, end - m_pos - 1), quote);
        if (!decoded)
            return LexError{m_pos, decoded.error()};
        emit(TokenKind::String, end - m_pos + 1).value = std::move(*decoded);
        return std::nullopt;
    }

    /// punctuation reads an operator or bracket starting with `c`; `next` decides two-character ones.
    std::optional<LexError> punctuation(char c, char next)
    {
        switch (c) {
        case '(': emit(TokenKind::LeftParen, 1); break;
        case ')': emit(TokenKind::RightParen, 1); break;
        case '{': emit(TokenKind::LeftBrace, 1); break;
        case '}': emit(TokenKind::RightBrace, 1); break;
        case '[':
            ++m_bracketDepth;
            emit(TokenKind::LeftBracket, 1);
            break;
        case ']':
            --m_bracketDepth;
            emit(TokenKind::RightBracket, 1);
            break;
        case ',': emit(TokenKind::Comma, 1); break;
        case ':': emit(TokenKind::Colon, 1); break;
        case '@': emit(TokenKind::At, 1); break;
        case '+': emit(TokenKind::Add, 1); break;
        case '-': emit(TokenKind::Sub, 1); break;
        case '*': emit(TokenKind::Mul, 1); break;
        case '/': emit(TokenKind::Div, 1); break;
        case '%': emit(TokenKind::Mod, 1); break;
        case '^': emit(TokenKind::Pow, 1); break;
        case '=':
            if (next == '=')
                emit(TokenKind::Eql, 2);
            else if (next == '~')
                emit(TokenKind::EqlRegex, 2);
            else
                emit(TokenKind::Assign, 1);
            break;
        case '!':
            if (next == '=')
                emit(TokenKind::Neq, 2);
            else if (next == '~')
                emit(TokenKind::NeqRegex, 2);
            else
                return LexError{m_pos, "unexpected character after '!'"};
            break;
        case '<':
            if (next == '=')
                emit(TokenKind::Lte, 2);
            else
                emit(TokenKind::Lss, 1);
            break;
        case '>':
            if (next == '=')
                emit(TokenKind::Gte, 2);
            else
                emit(TokenKind::Gtr, 1);
            break;
        default: return LexError{m_pos, std::string("unexpected character: '") + c + "'"};
        }
        return std::nullopt;
    }

    std::string_view m_input;
    std::size_t m_pos = 0;
    int m_bracketDepth = 0;
    std::vector<Token> m_tokens;
};

} // namespace

std::expected<std::vector<Token>, LexError> tokenize(std::string_view input)
{
    return Tokenizer(input).run();
}

std::string describeToken(const Token &token)
{
    switch (token.kind) {
    case TokenKind::End: return "end of input";
    case TokenKind::Identifier:
    case TokenKind::MetricIdentifier: return "identifier \"" + std::string(token.text) + "\"";
    case TokenKind::Number: return "number \"" + std::string(token.text) + "\"";
    case TokenKind::Duration: return "duration \"" + std::string(token.text) + "\"";
    case TokenKind::String: return "string " + std::string(token.text);
    default: return "\"" + std::string(token.text) + "\"";
    }
}

} // namespace pulse::promql
