// LogSearch: the log search box's language, parsed once and then tested against many lines.
//
//   search  := or
//   or      := and ("OR" and)*
//   and     := unary (["AND"] unary)*          terms side by side must all be there
//   unary   := ("NOT" | "-") unary | primary
//   primary := "(" search ")" | "\"a phrase\"" | term
//
// A term or phrase matches where the line holds it as a substring, ignoring ASCII case, as
// `grep -iF` would: `time` finds "timeout" (a trailing `*`, `time*`, says the same). AND, OR and NOT
// are operators only in capitals; in lower case they are words. In a phrase, "" is a quote. A text that does not parse
// (an unclosed quote or parenthesis) is an error naming where.
#pragma once

#include "core/base/error.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pulse {

/// isIndexWordSeparator says whether c separates the words a log block's trigram index holds (a
/// blank, a line end, NUL): the index keeps each distinct word of a block once
/// (LogBlockIndex::blockText), so the trigrams a search asks it for never span a separator.
constexpr bool isIndexWordSeparator(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0';
}

/// LogSearch is an immutable, compiled search. Safe to share between threads.
class LogSearch {
public:
    /// parse compiles text; an empty text (or only blanks) matches every line.
    static Result<LogSearch> parse(std::string_view text);

    /// matches tests one raw line.
    bool matches(std::string_view raw) const;
    /// empty says the search matches everything.
    bool empty() const { return m_nodes.empty(); }

    /// ftsQuery is an FTS5 MATCH over a trigram index of words (isIndexWordSeparator) that finds a
    /// superset of the matching rows (each term as the AND of the trigrams of its words of three
    /// characters or more, with the search's AND and OR), or nothing when the index cannot narrow
    /// the search (NOT, or a term without such a word somewhere that decides alone). The caller
    /// tests each row found with matches().
    std::optional<std::string> ftsQuery() const;
    /// highlightTerms are the lower-case terms a matching line shows (not those under NOT).
    std::vector<std::string> highlightTerms() const;

private:
    struct Node {
        enum Kind { Term, And, Or, Not } kind = Term;
        std::string text; // Term: lower-case ASCII needle
        std::vector<int> children;
    };
    class Parser;

    bool eval(int node, std::string_view raw) const;
    std::optional<std::string> fts(int node) const;
    void collectTerms(int node, std::vector<std::string> &out) const;

    std::vector<Node> m_nodes;
    int m_root = -1;
};

} // namespace pulse
