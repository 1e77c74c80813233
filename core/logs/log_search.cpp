// LogSearch: a recursive-descent parser for the search language and its evaluation.
#include "core/logs/log_search.h"

#include "core/logs/log_query_matcher.h"

namespace pulse {
namespace {

constexpr std::size_t kMaxDepth = 64;  // nesting of parentheses and NOTs
constexpr std::size_t kMaxTerms = 256; // terms of one search
constexpr std::size_t kMaxTrigrams = 24;

bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// validUtf8 checks the byte structure only (lead bytes and their continuations): SQLite splits text
// into characters the same way, so trigrams of valid text are trigrams to it too.
bool validUtf8(std::string_view text)
{
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t length = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        if (length == 0 || i + length > text.size())
            return false;
        for (std::size_t k = 1; k < length; ++k)
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
                return false;
        i += length;
    }
    return true;
}

// trigramQuery is the AND of the trigrams of a needle's words ("abcd xy": "abc" AND "bcd"; a `"`
// doubled), at most kMaxTrigrams spread over them: any subset still finds every block holding the
// needle. Empty when no word has three characters.
std::string trigramQuery(std::string_view text)
{
    if (!validUtf8(text))
        return {}; // SQLite would count its characters differently: matched on every row instead
    // The index holds a block's words, not its lines: a trigram spanning a blank is in no block.
    std::vector<std::string_view> trigrams;
    std::vector<std::size_t> starts; // where each character of a word starts
    for (std::size_t pos = 0; pos < text.size();) {
        while (pos < text.size() && isIndexWordSeparator(text[pos]))
            ++pos;
        std::size_t end = pos;
        while (end < text.size() && !isIndexWordSeparator(text[end]))
            ++end;
        const std::string_view word = text.substr(pos, end - pos);
        starts.clear();
        for (std::size_t i = 0; i < word.size(); ++i)
            if ((static_cast<unsigned char>(word[i]) & 0xC0) != 0x80)
                starts.push_back(i);
        starts.push_back(word.size());
        for (std::size_t w = 0; w + 3 < starts.size(); ++w)
            trigrams.push_back(word.substr(starts[w], starts[w + 3] - starts[w]));
        pos = end;
    }
    const std::size_t step = trigrams.size() > kMaxTrigrams ? (trigrams.size() + kMaxTrigrams - 1) / kMaxTrigrams : 1;
    std::string out;
    for (std::size_t w = 0; w < trigrams.size(); w += step) {
        if (!out.empty())
            out += " AND ";
        out += '"';
        for (char c : trigrams[w]) {
            out += c;
            if (c == '"')
                out += '"';
        }
        out += '"';
    }
    return out;
}

// lowerAsciiCopy lower-cases ASCII letters of text (other bytes unchanged), as the matcher compares.
std::string lowerAsciiCopy(std::string_view text)
{
    std::string out(text);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return out;
}

} // namespace

class LogSearch::Parser {
public:
    Parser(std::string_view text, LogSearch &out) : m_text(text), m_out(out) {}

    Result<int> parseOr(std::size_t depth)
    {
        if (depth > kMaxDepth)
            return fail("search nested too deeply at offset " + std::to_string(m_pos));
        auto first = parseAnd(depth);
        if (!first)
            return first;
        std::vector<int> children{*first};
        while (keyword("OR")) {
            auto next = parseAnd(depth);
            if (!next)
                return next;
            children.push_back(*next);
        }
        return children.size() == 1 ? children.front() : add(Node::Or, {}, std::move(children));
    }

    bool atEnd()
    {
        skipBlanks();
        return m_pos >= m_text.size();
    }
    std::size_t pos() const { return m_pos; }

private:
    Result<int> parseAnd(std::size_t depth)
    {
        std::vector<int> children;
        for (;;) {
            skipBlanks();
            if (m_pos >= m_text.size() || m_text[m_pos] == ')' || peekKeyword("OR"))
                break;
            keyword("AND");
            auto next = parseUnary(depth);
            if (!next)
                return next;
            children.push_back(*next);
        }
        if (children.empty())
            return fail("expected a word at offset " + std::to_string(m_pos));
        return children.size() == 1 ? children.front() : add(Node::And, {}, std::move(children));
    }

    Result<int> parseUnary(std::size_t depth)
    {
        if (depth > kMaxDepth)
            return fail("search nested too deeply at offset " + std::to_string(m_pos));
        skipBlanks();
        const bool dash = m_pos + 1 < m_text.size() && m_text[m_pos] == '-' && !blank(m_text[m_pos + 1]);
        if (dash)
            ++m_pos;
        if (dash || keyword("NOT")) {
            auto operand = parseUnary(depth + 1);
            if (!operand)
                return operand;
            return add(Node::Not, {}, {*operand});
        }
        return parsePrimary(depth);
    }

    Result<int> parsePrimary(std::size_t depth)
    {
        skipBlanks();
        if (m_pos >= m_text.size())
            return fail("expected a word at offset " + std::to_string(m_pos));
        const char c = m_text[m_pos];
        if (c == '(') {
            const std::size_t open = m_pos++;
            auto inner = parseOr(depth + 1);
            if (!inner)
                return inner;
            skipBlanks();
            if (m_pos >= m_text.size() || m_text[m_pos] != ')')
                return fail("unclosed '(' at offset " + std::to_string(open));
            ++m_pos;
            return inner;
        }
        if (c == '"') {
            const std::size_t open = m_pos++;
            std::string phrase;
            for (;;) {
                if (m_pos >= m_text.size())
                    return fail("unclosed '\"' at offset " + std::to_string(open));
                if (m_text[m_pos] == '"' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '"') {
                    phrase += '"'; // "" inside a phrase is a quote
                    m_pos += 2;
                    continue;
                }
                if (m_text[m_pos] == '"')
                    break;
                phrase += m_text[m_pos++];
            }
            ++m_pos;
            return term(phrase);
        }
        if (c == ')')
            return fail("unexpected ')' at offset " + std::to_string(m_pos));
        const std::size_t start = m_pos;
        while (m_pos < m_text.size() && !blank(m_text[m_pos]) && m_text[m_pos] != '(' && m_text[m_pos] != ')' &&
               m_text[m_pos] != '"')
            ++m_pos;
        std::string_view word = m_text.substr(start, m_pos - start);
        if (word.size() > 1 && word.back() == '*')
            word.remove_suffix(1); // a prefix is a substring
        return term(word);
    }

    Result<int> term(std::string_view text)
    {
        if (++m_terms > kMaxTerms)
            return fail("more than " + std::to_string(kMaxTerms) + " words in one search");
        return add(Node::Term, lowerAsciiCopy(text), {});
    }

    int add(Node::Kind kind, std::string text, std::vector<int> children)
    {
        m_out.m_nodes.push_back(Node{kind, std::move(text), std::move(children)});
        return int(m_out.m_nodes.size() - 1);
    }

    void skipBlanks()
    {
        while (m_pos < m_text.size() && blank(m_text[m_pos]))
            ++m_pos;
    }

    bool peekKeyword(std::string_view word)
    {
        skipBlanks();
        if (m_text.substr(m_pos, word.size()) != word)
            return false;
        const std::size_t after = m_pos + word.size();
        return after >= m_text.size() || blank(m_text[after]) || m_text[after] == '(' || m_text[after] == '"';
    }

    bool keyword(std::string_view word)
    {
        if (!peekKeyword(word))
            return false;
        m_pos += word.size();
        return true;
    }

    std::string_view m_text;
    LogSearch &m_out;
    std::size_t m_pos = 0;
    std::size_t m_terms = 0;
};

Result<LogSearch> LogSearch::parse(std::string_view text)
{
    LogSearch search;
    Parser parser(text, search);
    if (parser.atEnd())
        return search;
    auto root = parser.parseOr(0);
    if (!root)
        return std::unexpected(root.error());
    if (!parser.atEnd())
        return fail("unexpected ')' at offset " + std::to_string(parser.pos()));
    search.m_root = *root;
    return search;
}

bool LogSearch::matches(std::string_view raw) const
{
    return m_root < 0 || eval(m_root, raw);
}

bool LogSearch::eval(int index, std::string_view raw) const
{
    const Node &node = m_nodes[std::size_t(index)];
    switch (node.kind) {
    case Node::Term:
        return containsIgnoringAsciiCase(raw, node.text);
    case Node::And:
        for (int child : node.children)
            if (!eval(child, raw))
                return false;
        return true;
    case Node::Or:
        for (int child : node.children)
            if (eval(child, raw))
                return true;
        return false;
    case Node::Not:
        return !eval(node.children.front(), raw);
    }
    return false;
}

std::optional<std::string> LogSearch::ftsQuery() const
{
    if (m_root < 0)
        return std::nullopt;
    return fts(m_root);
}

// fts(node) is a query finding every row where node holds, or nothing when any row may hold it.
std::optional<std::string> LogSearch::fts(int index) const
{
    const Node &node = m_nodes[std::size_t(index)];
    switch (node.kind) {
    case Node::Term: {
        std::string q = trigramQuery(node.text);
        if (q.empty())
            return std::nullopt;
        return "(" + q + ")";
    }
    case Node::And: {
        std::string out;
        for (int child : node.children) {
            if (auto part = fts(child)) {
                if (!out.empty())
                    out += " AND ";
                out += *part;
            }
        }
        if (out.empty())
            return std::nullopt;
        return "(" + out + ")";
    }
    case Node::Or: {
        std::string out;
        for (int child : node.children) {
            auto part = fts(child);
            if (!part)
                return std::nullopt; // one side may hold anywhere: so may the OR
            if (!out.empty())
                out += " OR ";
            out += *part;
        }
        return "(" + out + ")";
    }
    case Node::Not:
        return std::nullopt; // a superset of "not X" is every row
    }
    return std::nullopt;
}

std::vector<std::string> LogSearch::highlightTerms() const
{
    std::vector<std::string> out;
    if (m_root >= 0)
        collectTerms(m_root, out);
    return out;
}

void LogSearch::collectTerms(int index, std::vector<std::string> &out) const
{
    const Node &node = m_nodes[std::size_t(index)];
    if (node.kind == Node::Not)
        return;
    if (node.kind == Node::Term && !node.text.empty())
        out.push_back(node.text);
    for (int child : node.children)
        collectTerms(child, out);
}

} // namespace pulse
