// LogQueryMatcher and the search-box syntax.
#include "core/logs/log_query_matcher.h"

#include <algorithm>

namespace pulse {
namespace {

char lowerAscii(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

std::string_view trimmed(std::string_view text)
{
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!text.empty() && blank(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && blank(text.back()))
        text.remove_suffix(1);
    return text;
}

} // namespace

LogQueryText parseLogSearchText(std::string_view input)
{
    const std::string_view text = trimmed(input);
    if (text.size() >= 2 && text.front() == '/' && text.back() == '/')
        return {std::string(text.substr(1, text.size() - 2)), true};
    return {std::string(text), false};
}

bool containsIgnoringAsciiCase(std::string_view haystack, std::string_view lowerNeedle)
{
    if (lowerNeedle.empty())
        return true;
    if (lowerNeedle.size() > haystack.size())
        return false;
    // Candidates are where the needle's first byte is, in either case, found with find (memchr);
    // a byte-by-byte comparison at every position was a quarter of a search's time.
    const char lower = lowerNeedle[0];
    const char upper = lower >= 'a' && lower <= 'z' ? char(lower - 'a' + 'A') : lower;
    const std::size_t last = haystack.size() - lowerNeedle.size();
    const auto matchesAt = [&](std::size_t at) {
        for (std::size_t i = 1; i < lowerNeedle.size(); ++i)
            if (lowerAscii(haystack[at + i]) != lowerNeedle[i])
                return false;
        return true;
    };
    std::size_t nextLower = haystack.find(lower);
    std::size_t nextUpper = upper == lower ? std::string_view::npos : haystack.find(upper);
    for (;;) {
        const std::size_t at = std::min(nextLower, nextUpper);
        if (at == std::string_view::npos || at > last)
            return false;
        if (matchesAt(at))
            return true;
        if (at == nextLower)
            nextLower = haystack.find(lower, at + 1);
        else
            nextUpper = haystack.find(upper, at + 1);
    }
}

Result<LogQueryMatcher> LogQueryMatcher::compile(const LogQuery &query)
{
    LogQueryMatcher matcher;
    matcher.m_query = query;
    if (query.regex && !query.text.empty()) {
        matcher.m_regex =
            QRegularExpression(QString::fromStdString(query.text), QRegularExpression::CaseInsensitiveOption);
        if (!matcher.m_regex.isValid()) {
            return fail("invalid regular expression at offset " + std::to_string(matcher.m_regex.patternErrorOffset()) +
                        ": " + matcher.m_regex.errorString().toStdString());
        }
        // Compile now rather than on first use, which would happen under the first caller's thread.
        matcher.m_regex.optimize();
    } else {
        auto search = LogSearch::parse(query.text);
        if (!search)
            return fail("search: " + search.error().message);
        matcher.m_search = std::move(*search);
    }
    return matcher;
}

bool LogQueryMatcher::matchesText(std::string_view raw) const
{
    if (m_query.text.empty())
        return true;
    if (m_query.regex)
        return m_regex.match(QString::fromUtf8(raw.data(), qsizetype(raw.size()))).hasMatch();
    return m_search.matches(raw);
}

bool LogQueryMatcher::matches(const LogRecord &record) const
{
    return matchesParts(record.timestampMs, record.storeId, record.level, record.target, record.raw);
}

bool LogQueryMatcher::matchesParts(std::int64_t timestampMs, std::int64_t storeId, LogLevel level,
                                   std::string_view target, std::string_view raw) const
{
    if (timestampMs < m_query.fromMs || timestampMs >= m_query.toMs)
        return false;
    if (storeId != 0) {
        if (m_query.beforeId != 0 && timestampMs == m_query.toMs - 1 && storeId >= m_query.beforeId)
            return false;
        if (m_query.afterId != 0 && timestampMs == m_query.fromMs && storeId <= m_query.afterId)
            return false;
    }
    if (level < m_query.minLevel)
        return false;
    if (!m_query.targets.empty() &&
        std::find(m_query.targets.begin(), m_query.targets.end(), target) == m_query.targets.end())
        return false;
    return matchesText(raw);
}

} // namespace pulse
