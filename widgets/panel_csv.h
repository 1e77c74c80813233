// panelCsv: a dashboard's charted data as a formula-safe CSV report.
#pragma once

#include "core/plot/plot_series.h"

#include <QString>

#include <string>
#include <utility>
#include <vector>

namespace pulse {

/// panelCsv writes one row per point: panel title, series name, RFC 3339 UTC time, Unix ms, value.
/// Every text field goes through csvField, so a label value like `=HYPERLINK(...)` stays text.
std::string panelCsv(const std::vector<std::pair<QString, PanelData>> &panels);

} // namespace pulse
