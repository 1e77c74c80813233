// Fully anchored regex matching for label matchers and label_replace().
#include "core/selection/anchored_regex.h"

namespace pulse::promql {
namespace {

QString toQString(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

// pcreOnlyConstruct names syntax PCRE2 accepts but RE2 (and so Prometheus) rejects: lookaround,
// atomic groups, backreferences, recursion and possessive quantifiers. Empty when there is none.
std::string pcreOnlyConstruct(std::string_view p)
{
    bool inClass = false;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const char c = p[i];
        const char next = i + 1 < p.size() ? p[i + 1] : '\0';
        if (c == '\\') {
            if (!inClass && ((next >= '1' && next <= '9') || next == 'g' || next == 'k'))
                return "backreferences";
            ++i;
            continue;
        }
        if (inClass) {
            if (c == ']')
                inClass = false;
            continue;
        }
        if (c == '[') {
            inClass = true;
            if (next == '^')
                ++i;
            if (i + 1 < p.size() && p[i + 1] == ']')
                ++i; // a leading ']' is a literal
            continue;
        }
        if (c == '(' && next == '?' && i + 2 < p.size()) {
            const char kind = p[i + 2];
            const char after = i + 3 < p.size() ? p[i + 3] : '\0';
            if (kind == '=' || kind == '!' || (kind == '<' && (after == '=' || after == '!')))
                return "lookaround assertions";
            if (kind == '>' || kind == '|' || kind == '#' || kind == 'R' || kind == '&' || kind == '+' ||
                (kind >= '0' && kind <= '9'))
                return "PCRE group syntax (?" + std::string(1, kind);
        }
        if ((c == '*' || c == '+' || c == '?' || c == '}') && next == '+')
            return "possessive quantifiers";
    }
    return {};
}

} // namespace

Result<AnchoredRegex> AnchoredRegex::compile(std::string_view pattern)
{
    if (const std::string construct = pcreOnlyConstruct(pattern); !construct.empty())
        return fail("invalid regular expression \"" + std::string(pattern) + "\": " + construct +
                    " are not RE2 syntax");
    AnchoredRegex out;
    out.m_regex.setPattern(QStringLiteral("\\A(?:") + toQString(pattern) + QStringLiteral(")\\z"));
    if (!out.m_regex.isValid())
        return fail("invalid regular expression \"" + std::string(pattern) +
                    "\": " + out.m_regex.errorString().toStdString());
    out.m_regex.optimize();
    return out;
}

bool AnchoredRegex::matches(std::string_view text) const
{
    return m_regex.match(toQString(text)).hasMatch();
}

bool AnchoredRegex::captures(std::string_view text, std::vector<std::string> &groups) const
{
    const QRegularExpressionMatch match = m_regex.match(toQString(text));
    if (!match.hasMatch())
        return false;
    groups.clear();
    for (int i = 0; i <= match.lastCapturedIndex(); ++i)
        groups.push_back(match.captured(i).toStdString());
    const int total = m_regex.captureCount();
    groups.resize(static_cast<std::size_t>(total) + 1);
    return true;
}

int AnchoredRegex::groupIndex(std::string_view name) const
{
    const QStringList names = m_regex.namedCaptureGroups();
    const QString wanted = toQString(name);
    for (qsizetype i = 1; i < names.size(); ++i) {
        if (names[i] == wanted)
            return static_cast<int>(i);
    }
    return -1;
}

} // namespace pulse::promql
