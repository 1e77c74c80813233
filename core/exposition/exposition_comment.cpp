// Comment lines of the exposition formats (see exposition_lexer.h): "# HELP", "# TYPE" and, in
// OpenMetrics, "# UNIT". The text format treats any other comment as carrying no data; OpenMetrics
// allows no other comments.
#include "core/exposition/exposition_lexer.h"

#include "core/exposition/exposition_scan.h"

namespace pulse::expo {

namespace {

Result<std::optional<MetadataLine>> lexOpenMetricsComment(std::string_view line)
{
    MetadataKind kind;
    const std::string_view keyword = line.substr(0, 6);
    if (keyword == "# HELP")
        kind = MetadataKind::Help;
    else if (keyword == "# TYPE")
        kind = MetadataKind::Type;
    else if (keyword == "# UNIT")
        kind = MetadataKind::Unit;
    else
        return fail("expected \"# HELP\", \"# TYPE\", \"# UNIT\" or \"# EOF\", got " + quoteForMessage(line));
    std::string_view rest = line.substr(6);
    const std::size_t nameEnd = scanName(rest, 1, kMetricStart, kMetricChar);
    if (rest.empty() || rest[0] != ' ' || nameEnd == 1)
        return fail("expected ' ' and a metric name after \"" + std::string(keyword) + "\"");
    const std::string_view name = rest.substr(1, nameEnd - 1);
    rest.remove_prefix(nameEnd);
    if (rest.empty() || rest[0] != ' ') {
        static constexpr const char *kWhat[] = {"the help text", "a type", "a unit"};
        return fail("expected ' ' and " + std::string(kWhat[static_cast<int>(kind)]) + " after \"" + std::string(name)
                    + "\", got " + (rest.empty() ? std::string("end of line") : quoteForMessage(rest)));
    }
    const std::string_view text = rest.substr(1);
    if (kind == MetadataKind::Help && !isValidUtf8(text))
        return fail("the help text of \"" + std::string(name) + "\" is not valid UTF-8");
    if (kind == MetadataKind::Unit && scanName(text, 0, kMetricChar, kMetricChar) != text.size())
        return fail("invalid unit " + quoteForMessage(text) + " for \"" + std::string(name) + "\"");
    return MetadataLine{kind, name, text};
}

Result<std::optional<MetadataLine>> lexTextComment(std::string_view line)
{
    // As Prometheus's lexer: "#", blanks, then HELP or TYPE and blanks make metadata; anything else
    // is a comment.
    std::size_t pos = 1;
    while (pos < line.size() && isBlank(line[pos]))
        ++pos;
    if (pos == 1)
        return std::nullopt;
    const std::string_view keyword = line.substr(pos, 4);
    if ((keyword != "HELP" && keyword != "TYPE") || pos + 4 >= line.size() || !isBlank(line[pos + 4]))
        return std::nullopt;
    const MetadataKind kind = keyword == "HELP" ? MetadataKind::Help : MetadataKind::Type;
    pos += 4;
    while (pos < line.size() && isBlank(line[pos]))
        ++pos;
    const std::size_t nameEnd = scanName(line, pos, kMetricStart, kMetricChar);
    if (nameEnd == pos)
        return fail("expected a metric name after " + std::string(keyword) + ", got " + quoteForMessage(line.substr(pos)));
    const std::string_view name = line.substr(pos, nameEnd - pos);
    pos = nameEnd;
    if (pos < line.size() && !isBlank(line[pos]))
        return fail("expected a blank after metric name \"" + std::string(name) + "\", got " + quoteForMessage(line.substr(pos)));
    std::string_view text = pos < line.size() ? line.substr(pos + 1) : std::string_view();
    if (kind == MetadataKind::Type) {
        while (!text.empty() && isBlank(text.front()))
            text.remove_prefix(1);
        while (!text.empty() && isBlank(text.back()))
            text.remove_suffix(1);
    } else if (!isValidUtf8(text)) {
        return fail("the help text of \"" + std::string(name) + "\" is not valid UTF-8");
    }
    return MetadataLine{kind, name, text};
}

} // namespace

Result<std::optional<MetadataLine>> lexCommentLine(std::string_view line, ExpositionFormat format)
{
    return format == ExpositionFormat::OpenMetrics ? lexOpenMetricsComment(line) : lexTextComment(line);
}

} // namespace pulse::expo
