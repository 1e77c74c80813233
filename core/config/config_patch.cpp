// replaceTopLevelSection: edit one top-level block of a YAML config as text, so everything the GUI
// did not change (comments, key order, ${VAR} references, quoting) stays exactly as the user wrote it.
#include "core/config/config_loader.h"

#include <vector>

namespace pulse {
namespace {

struct Line {
    std::size_t start = 0; ///< byte offset of the first character
    std::size_t end = 0;   ///< byte offset just past the line break (or the end of the text)
    std::string_view text; ///< without the line break
};

std::vector<Line> splitLines(std::string_view text)
{
    std::vector<Line> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t nl = text.find('\n', pos);
        const std::size_t stop = nl == std::string_view::npos ? text.size() : nl;
        std::string_view body = text.substr(pos, stop - pos);
        if (!body.empty() && body.back() == '\r')
            body.remove_suffix(1);
        lines.push_back({pos, nl == std::string_view::npos ? text.size() : nl + 1, body});
        pos = stop + 1;
    }
    return lines;
}

bool isBlankOrComment(std::string_view line)
{
    const std::size_t first = line.find_first_not_of(" \t");
    return first == std::string_view::npos || line[first] == '#';
}

/// topLevelKey returns the key of a line that starts a top-level mapping entry ("key:" at column 0),
/// or an empty view.
std::string_view topLevelKey(std::string_view line)
{
    if (line.empty() || line[0] == ' ' || line[0] == '\t' || line[0] == '#' || line[0] == '-')
        return {};
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0)
        return {};
    if (colon + 1 < line.size() && line[colon + 1] != ' ' && line[colon + 1] != '\t')
        return {};
    std::string_view key = line.substr(0, colon);
    if (key.size() >= 2 && (key.front() == '"' || key.front() == '\'') && key.back() == key.front())
        key = key.substr(1, key.size() - 2);
    return key;
}

} // namespace

Result<std::string> replaceTopLevelSection(std::string_view original, std::string_view key, std::string_view section)
{
    const auto lines = splitLines(original);
    std::size_t found = lines.size();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string_view text = lines[i].text;
        if (isBlankOrComment(text))
            continue;
        if (text.starts_with("---") || text.starts_with("...") || text[0] == '{' || text[0] == '&' || text[0] == '*')
            return fail("the file's top level is not a plain block mapping");
        if (text[0] != ' ' && text[0] != '\t' && text[0] != '-' && topLevelKey(text).empty())
            return fail("line " + std::to_string(i + 1) + ": cannot tell which top-level key this belongs to");
        if (topLevelKey(text) == key) {
            if (found != lines.size())
                return fail("'" + std::string(key) + "' appears twice at the top level");
            found = i;
        }
    }
    std::string out;
    std::string_view body = section;
    if (found == lines.size()) {
        out.assign(original);
        if (!out.empty() && out.back() != '\n')
            out += '\n';
        out += body;
        return out;
    }
    const std::string_view after = lines[found].text.substr(lines[found].text.find(':') + 1);
    const std::size_t value = after.find_first_not_of(" \t");
    if (value != std::string_view::npos && after[value] != '#' && after.substr(value) != "[]")
        return fail("'" + std::string(key) + "' is written in flow style; only block sections are edited in place");
    std::size_t next = found + 1;
    while (next < lines.size() && topLevelKey(lines[next].text).empty())
        ++next; // indented lines, column-0 list items, blanks and comments all belong to the section
    // Blank lines and column-0 comments right before the next key describe that key: keep them.
    std::size_t end = next;
    while (end > found + 1 && (lines[end - 1].text.find_first_not_of(" \t") == std::string_view::npos ||
                               lines[end - 1].text.starts_with("#")))
        --end;
    const std::size_t startByte = lines[found].start;
    const std::size_t endByte = end < lines.size() ? lines[end].start : original.size();
    out.assign(original.substr(0, startByte));
    out += body;
    if (!out.empty() && out.back() != '\n')
        out += '\n';
    out.append(original.substr(endByte));
    return out;
}

} // namespace pulse
