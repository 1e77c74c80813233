// LogLineParser: the regex format and records of several lines.
#include "core/logs/log_line_parser.h"

#include "core/logs/log_time.h"

namespace pulse {

Result<LogLineParser> LogLineParser::create(LogFormat format, std::string_view pattern, LinePatternCompiler compile)
{
    LogLineParser parser(format);
    if (format != LogFormat::Regex) {
        if (!pattern.empty())
            return fail("a pattern is only used with the regex format");
        return parser;
    }
    if (pattern.empty())
        return fail("the regex format needs a pattern with named groups, e.g. "
                    "'^(?<time>\\S+) (?<level>\\w+) (?<message>.*)$'");
    auto compiled = compile(pattern);
    if (!compiled)
        return std::unexpected(compiled.error());
    parser.m_pattern = std::string(pattern);
    parser.m_regex = std::move(*compiled);
    const std::vector<std::string> names = parser.m_regex->groupNames();
    for (std::size_t i = 1; i < names.size(); ++i) {
        const std::string &name = names[i];
        if (name.empty())
            continue;
        if (name == "time")
            parser.m_timeGroup = int(i);
        else if (name == "level")
            parser.m_levelGroup = int(i);
        else if (name == "message")
            parser.m_messageGroup = int(i);
        else
            parser.m_fieldGroups.emplace_back(int(i), name);
    }
    if (parser.m_timeGroup < 0 && parser.m_levelGroup < 0 && parser.m_messageGroup < 0 && parser.m_fieldGroups.empty())
        return fail("the pattern has no named group: name what it captures, as in (?<level>\\w+)");
    return parser;
}

LogRecord LogLineParser::parse(std::string_view line, const LogLineContext &context) const
{
    const std::size_t newline = line.find('\n');
    if (newline == std::string_view::npos)
        return parseOneLine(line, context);
    // A record of several lines: the first says what it is, the rest (a stack trace) is message.
    LogRecord record = parseOneLine(line.substr(0, newline), context);
    record.raw = ownedOrCopied(line, context);
    line = record.raw;
    record.message += line.substr(newline);
    return record;
}

LogRecord LogLineParser::parseOneLine(std::string_view line, const LogLineContext &context) const
{
    if (m_format == LogFormat::Regex && m_regex)
        return withPlausibleTime(parseRegexLine(line, context), context);
    return parseLogLine(m_format, line, context);
}

LogRecord LogLineParser::parseRegexLine(std::string_view line, const LogLineContext &context) const
{
    std::optional<LinePattern::Captures> match = m_regex->match(line);
    if (!match)
        return malformedLogRecord(line, context);
    LogRecord record = baseLogRecord(line, context);
    line = record.raw; // it may have moved there (LogLineContext::ownedLine)
    const auto group = [&](int index) -> std::optional<std::string> {
        if (index < 0 || std::size_t(index) >= match->size())
            return std::nullopt;
        return (*match)[std::size_t(index)];
    };
    if (const auto time = group(m_timeGroup)) {
        if (const auto ms = parseLogTimeText(*time, context.readTimeMs))
            record.timestampMs = *ms;
        else
            record.fields.emplace_back("time", *time); // kept, so an odd layout is still visible
    }
    record.message = group(m_messageGroup).value_or(std::string(line));
    if (const auto level = group(m_levelGroup))
        record.level = parseLogLevel(*level);
    else
        record.level = guessLogLevel(record.message);
    for (const auto &[index, name] : m_fieldGroups) {
        if (auto value = group(index))
            record.fields.emplace_back(name, std::move(*value));
    }
    return record;
}

} // namespace pulse
