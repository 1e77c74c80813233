// Strict text-format reading for the demo tests (see exposition_check.h).
#include "exposition_check.h"

#include <QRegularExpression>
#include <QString>

#include <cmath>
#include <cstring>
#include <set>
#include <string_view>
#include <vector>

namespace pulse::demo::test {

double Exposition::value(const std::string &series) const
{
    const auto it = samples.find(series);
    return it == samples.end() ? std::nan("") : it->second;
}

double Exposition::sum(const std::string &prefix) const
{
    double total = 0;
    for (const auto &[series, v] : samples)
        if (series.starts_with(prefix))
            total += v;
    return total;
}

namespace {

bool validMetricName(std::string_view name)
{
    static const QRegularExpression re(QStringLiteral("^[a-zA-Z_:][a-zA-Z0-9_:]*$"));
    return re.match(QString::fromUtf8(name.data(), qsizetype(name.size()))).hasMatch();
}

/// readLabels parses `{a="x",b="y"}` starting at text[pos] == '{'; returns the position after '}'.
std::size_t readLabels(const std::string &text, std::size_t pos, std::map<std::string, std::string> &labels,
                       std::string &error)
{
    ++pos;
    while (pos < text.size() && text[pos] != '}') {
        const std::size_t eq = text.find('=', pos);
        if (eq == std::string::npos || eq + 1 >= text.size() || text[eq + 1] != '"') {
            error = "label without =\"";
            return std::string::npos;
        }
        const std::string name = text.substr(pos, eq - pos);
        if (!validMetricName(name) || name.find(':') != std::string::npos) {
            error = "bad label name " + name;
            return std::string::npos;
        }
        std::string value;
        pos = eq + 2;
        for (; pos < text.size() && text[pos] != '"'; ++pos) {
            if (text[pos] == '\n') {
                error = "raw newline in label value";
                return std::string::npos;
            }
            if (text[pos] == '\\') {
                const char next = pos + 1 < text.size() ? text[pos + 1] : '\0';
                if (next != '\\' && next != '"' && next != 'n') {
                    error = "bad escape in label value";
                    return std::string::npos;
                }
                value += next == 'n' ? '\n' : next;
                ++pos;
            } else {
                value += text[pos];
            }
        }
        if (pos >= text.size()) {
            error = "unterminated label value";
            return std::string::npos;
        }
        labels[name] = value;
        ++pos;
        if (pos < text.size() && text[pos] == ',')
            ++pos;
    }
    return pos < text.size() ? pos + 1 : std::string::npos;
}

} // namespace

std::string familyOf(const std::string &name, const std::map<std::string, std::string> &types)
{
    for (const char *suffix : {"_bucket", "_sum", "_count"}) {
        if (name.ends_with(suffix)) {
            std::string base = name.substr(0, name.size() - std::strlen(suffix));
            const auto it = types.find(base);
            if (it != types.end() && (it->second == "histogram" || it->second == "summary"))
                return base;
        }
    }
    return name;
}

Exposition checkExposition(const std::string &text)
{
    Exposition out;
    if (text.empty() || text.back() != '\n') {
        out.error = "text must end with a newline";
        return out;
    }
    std::set<std::string> finishedFamilies;
    std::set<std::string> helped;
    std::string currentFamily;
    // Histogram checks: cumulative buckets per series (keyed by labels without le).
    std::map<std::string, std::vector<std::pair<double, double>>> buckets;
    std::map<std::string, double> counts;

    std::size_t lineStart = 0;
    int lineNumber = 0;
    while (lineStart < text.size()) {
        const std::size_t lineEnd = text.find('\n', lineStart);
        const std::string line = text.substr(lineStart, lineEnd - lineStart);
        lineStart = lineEnd + 1;
        ++lineNumber;
        const std::string where = "line " + std::to_string(lineNumber) + ": ";
        if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
            const std::string rest = line.substr(7);
            const std::size_t space = rest.find(' ');
            const std::string name = rest.substr(0, space);
            if (!validMetricName(name) || space == std::string::npos) {
                out.error = where + "bad metadata line";
                return out;
            }
            if (line[2] == 'H' && !helped.insert(name).second) {
                out.error = where + "second HELP for " + name;
                return out;
            }
            if (line[2] == 'T') {
                const std::string type = rest.substr(space + 1);
                static const std::set<std::string> kTypes{"counter", "gauge", "histogram", "summary", "untyped"};
                if (!kTypes.contains(type) || out.types.contains(name)) {
                    out.error = where + "bad or repeated TYPE for " + name;
                    return out;
                }
                out.types[name] = type;
            }
            if (name != currentFamily) {
                if (finishedFamilies.contains(name)) {
                    out.error = where + "family " + name + " is not contiguous";
                    return out;
                }
                if (!currentFamily.empty())
                    finishedFamilies.insert(currentFamily);
                currentFamily = name;
            }
            continue;
        }
        if (line.empty() || line[0] == '#') {
            out.error = where + "unexpected line";
            return out;
        }
        std::size_t pos = 0;
        while (pos < line.size() && line[pos] != '{' && line[pos] != ' ')
            ++pos;
        const std::string name = line.substr(0, pos);
        if (!validMetricName(name)) {
            out.error = where + "bad metric name";
            return out;
        }
        std::map<std::string, std::string> labels;
        if (pos < line.size() && line[pos] == '{') {
            pos = readLabels(line, pos, labels, out.error);
            if (pos == std::string::npos) {
                out.error = where + out.error;
                return out;
            }
        }
        if (pos >= line.size() || line[pos] != ' ') {
            out.error = where + "no value";
            return out;
        }
        const std::string valueText = line.substr(pos + 1);
        double value = 0;
        if (valueText == "+Inf")
            value = INFINITY;
        else if (valueText == "NaN")
            value = NAN;
        else {
            std::size_t used = 0;
            try {
                value = std::stod(valueText, &used);
            } catch (...) {
                used = 0;
            }
            if (used != valueText.size() || valueText.empty()) {
                out.error = where + "bad value '" + valueText + "'";
                return out;
            }
        }
        const std::string family = familyOf(name, out.types);
        if (family != currentFamily || !out.types.contains(family)) {
            out.error = where + name + " is outside its family's block";
            return out;
        }
        const std::string series = line.substr(0, pos);
        if (!out.samples.emplace(series, value).second) {
            out.error = where + "duplicate series " + series;
            return out;
        }
        if (out.types[family] == "histogram") {
            std::map<std::string, std::string> withoutLe = labels;
            withoutLe.erase("le");
            std::string key = family;
            for (const auto &[k, v] : withoutLe)
                key += "," + k + "=" + v;
            if (name.ends_with("_bucket")) {
                if (!labels.contains("le")) {
                    out.error = where + "bucket without le";
                    return out;
                }
                const std::string le = labels["le"];
                buckets[key].emplace_back(le == "+Inf" ? INFINITY : std::stod(le), value);
            } else if (name.ends_with("_count")) {
                counts[key] = value;
            }
        }
    }
    for (const auto &[key, list] : buckets) {
        for (std::size_t i = 1; i < list.size(); ++i) {
            if (!(list[i].first > list[i - 1].first) || list[i].second < list[i - 1].second) {
                out.error = key + ": buckets not increasing or not cumulative";
                return out;
            }
        }
        if (list.empty() || !std::isinf(list.back().first) || !counts.contains(key) ||
            counts[key] != list.back().second) {
            out.error = key + ": _count differs from the +Inf bucket";
            return out;
        }
    }
    return out;
}

} // namespace pulse::demo::test
