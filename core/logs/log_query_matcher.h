// LogQueryMatcher: a LogQuery compiled once (regex, lower-cased needle, target set) and then tested
// against many records.
#pragma once

#include "core/base/error.h"
#include "core/logs/log_query.h"
#include "core/logs/log_search.h"

#include <QRegularExpression>

#include <string>
#include <vector>

namespace pulse {

/// LogQueryMatcher answers "does this record match the query?" without re-reading the query.
/// Immutable after compile(). Stores compile one per query call, so an instance is not shared
/// between threads (QRegularExpression is reentrant, not documented thread-safe).
class LogQueryMatcher {
public:
    /// compile checks the query; an invalid regular expression is an error naming the position.
    static Result<LogQueryMatcher> compile(const LogQuery &query);

    /// matches tests every criterion except the limit.
    bool matches(const LogRecord &record) const;
    /// matchesParts is matches() on the parts of a record it looks at (a stored record can be
    /// tested before it is built).
    bool matchesParts(std::int64_t timestampMs, std::int64_t storeId, LogLevel level, std::string_view target,
                      std::string_view raw) const;
    /// matchesText tests only the text criterion against raw.
    bool matchesText(std::string_view raw) const;

    const LogQuery &query() const { return m_query; }
    /// search is the compiled text of a query that is not a regular expression.
    const LogSearch &search() const { return m_search; }

private:
    LogQueryMatcher() = default;

    LogQuery m_query;
    /// m_search is the text as a search (log_search.h; ASCII case folding: logs are mostly ASCII,
    /// and ASCII folding needs no decoding of bytes that may not even be UTF-8).
    LogSearch m_search;
    QRegularExpression m_regex;
};

/// containsIgnoringAsciiCase says whether haystack contains needle, comparing ASCII letters without
/// case; needle must already be lower-case.
bool containsIgnoringAsciiCase(std::string_view haystack, std::string_view lowerNeedle);

} // namespace pulse
