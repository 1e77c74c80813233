// LogLineParser: a log target's format made ready to parse lines — the regex format's pattern
// compiled once, its named groups looked up once — and the rule for records of several lines.
#pragma once

#include "core/base/error.h"
#include "core/logs/line_pattern.h"
#include "core/logs/log_format.h"
#include "core/logs/log_parsers.h"
#include "core/logs/log_record.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pulse {

/// LogLineParser parses lines of one format. For LogFormat::Regex it holds the compiled pattern:
/// the groups named `time`, `level` and `message` give the record's time (any layout
/// parseLogTimeText reads), level and message; every other named group becomes a field, in the
/// pattern's order; a group that did not take part in the match is left out. The pattern is searched
/// for (anchor it with ^…$ to match whole lines); a line it does not match is malformed (kept whole).
/// Without a `message` group the message is the whole line; without a `level` group the level is
/// guessed from the message as for plain lines.
///
/// A line holding '\n' is a record of several lines (MultilineJoiner): its first line is parsed as
/// the format, the others are appended to the message, and raw is all of them.
///
/// Immutable after construction; copies share the compiled pattern, and any thread may use one.
class LogLineParser {
public:
    /// A parser of a format that needs no pattern (Regex without one matches nothing).
    LogLineParser() = default;
    explicit LogLineParser(LogFormat format) : m_format(format) {}

    /// create checks that a pattern is given exactly when format is Regex, and that it compiles
    /// (the error names the offset) with at least one named group. compile is evaluated where create
    /// is called: code that passes another (or builds parsers with the constructor) links no regex
    /// engine (line_pattern.h).
    static Result<LogLineParser> create(LogFormat format, std::string_view pattern,
                                        LinePatternCompiler compile = &compileLinePattern);

    LogFormat format() const { return m_format; }
    const std::string &pattern() const { return m_pattern; }

    /// parse turns one line (or a joined record) into a LogRecord; never fails (log_parsers.h).
    LogRecord parse(std::string_view line, const LogLineContext &context) const;

private:
    LogRecord parseOneLine(std::string_view line, const LogLineContext &context) const;
    LogRecord parseRegexLine(std::string_view line, const LogLineContext &context) const;

    LogFormat m_format = LogFormat::Plain;
    std::string m_pattern;
    std::shared_ptr<const LinePattern> m_regex; // Regex format only
    int m_timeGroup = -1;
    int m_levelGroup = -1;
    int m_messageGroup = -1;
    /// m_fieldGroups are the other named groups: index and name, in the pattern's order.
    std::vector<std::pair<int, std::string>> m_fieldGroups;
};

} // namespace pulse
