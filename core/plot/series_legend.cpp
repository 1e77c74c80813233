// Legend naming by distinguishing labels.
#include "core/plot/series_legend.h"

#include <map>
#include <set>

namespace pulse {
namespace {

QString fullName(const NamedSeries &s)
{
    if (s.labels.empty())
        return s.metric.empty() ? QStringLiteral("{}") : QString::fromStdString(s.metric);
    return QString::fromStdString(s.metric + s.labels.toString());
}

} // namespace

QStringList legendNames(const std::vector<NamedSeries> &series)
{
    QStringList out;
    if (series.size() <= 1) {
        for (const auto &s : series)
            out << fullName(s);
        return out;
    }
    // A label distinguishes series when some series lack it or their values differ.
    std::map<std::string, std::set<std::string>> values;
    std::map<std::string, std::size_t> present;
    for (const auto &s : series)
        for (const auto &l : s.labels) {
            values[l.name].insert(l.value);
            ++present[l.name];
        }
    std::set<std::string> distinguishing;
    for (const auto &[name, vals] : values)
        if (vals.size() > 1 || present[name] != series.size())
            distinguishing.insert(name);
    std::set<std::string> metrics;
    for (const auto &s : series)
        metrics.insert(s.metric);
    const bool showMetric = metrics.size() > 1;
    for (const auto &s : series) {
        Labels shown;
        for (const auto &l : s.labels)
            if (distinguishing.count(l.name))
                shown.set(l.name, l.value);
        if (shown.empty() && !showMetric) {
            out << fullName(s);
            continue;
        }
        out << QString::fromStdString((showMetric ? s.metric : std::string()) + (shown.empty() ? "" : shown.toString()));
    }
    return out;
}

QStringList legendNames(const std::vector<NamedSeries> &series, const QString &legendTemplate)
{
    if (legendTemplate.isEmpty())
        return legendNames(series);
    QStringList names;
    names.reserve(static_cast<qsizetype>(series.size()));
    for (const auto &s : series) {
        QString name;
        qsizetype pos = 0;
        while (pos < legendTemplate.size()) {
            const qsizetype open = legendTemplate.indexOf(QLatin1String("{{"), pos);
            const qsizetype close = open < 0 ? -1 : legendTemplate.indexOf(QLatin1String("}}"), open + 2);
            if (close < 0) {
                name += legendTemplate.mid(pos);
                break;
            }
            name += legendTemplate.mid(pos, open - pos);
            const std::string label = legendTemplate.mid(open + 2, close - open - 2).trimmed().toStdString();
            const std::string_view value = label == "__name__" ? std::string_view(s.metric) : s.labels.value(label);
            name += QString::fromUtf8(value.data(), static_cast<qsizetype>(value.size()));
            pos = close + 2;
        }
        names << name;
    }
    return names;
}

} // namespace pulse
