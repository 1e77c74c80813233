// Dashboard data → CSV.
#include "widgets/panel_csv.h"

#include "core/csv/csv_writer.h"

#include <QDateTime>

#include <cmath>

namespace pulse {

std::string panelCsv(const std::vector<std::pair<QString, PanelData>> &panels)
{
    static const std::string header[] = {"panel", "series", "time", "unix_ms", "value"};
    std::string out = csvRow(header);
    for (const auto &[title, data] : panels) {
        const std::string panel = title.toStdString();
        for (const auto &series : data.series) {
            const std::string name = series.name.toStdString();
            for (const auto &p : series.points) {
                if (std::isnan(p.y))
                    continue; // gap markers, not samples
                const auto ms = static_cast<qint64>(p.x);
                const std::string row[] = {
                    panel, name,
                    QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toStdString(),
                    std::to_string(ms), csvNumber(p.y)};
                out += csvRow(row);
            }
        }
    }
    return out;
}

} // namespace pulse
