// AnchoredRegex: Prometheus's fully anchored regular expressions (RE2 syntax) over QRegularExpression.
#pragma once

#include "core/base/error.h"

#include <QRegularExpression>

#include <string>
#include <string_view>
#include <vector>

namespace pulse::promql {

/// AnchoredRegex matches a whole string against a pattern, as Prometheus's `=~` does. PCRE2 accepts
/// RE2's syntax (which is close to a subset of it); anchoring uses \A and \z because PCRE2's `$`
/// would also match before a trailing newline.
class AnchoredRegex {
public:
    /// compile fails with a message naming the pattern when PCRE2 rejects it.
    static Result<AnchoredRegex> compile(std::string_view pattern);

    bool matches(std::string_view text) const;
    /// captures returns the groups of a whole-string match (index 0 = whole), or nothing on no match.
    bool captures(std::string_view text, std::vector<std::string> &groups) const;
    /// groupIndex returns the index of a named group, or -1.
    int groupIndex(std::string_view name) const;

private:
    QRegularExpression m_regex;
};

} // namespace pulse::promql
