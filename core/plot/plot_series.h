// PlotSeries: what a chart panel draws — values handed to the GUI by queued signal.
#pragma once

#include "core/plot/decimate.h"

#include <QMetaType>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pulse {

struct PlotSeries {
    QString name; ///< legend text, e.g. `{route="/api/users"}`: untrusted, shown as plain text
    std::vector<Point> points;
    bool dashed = false; ///< a "compare with" overlay (the same query, shifted from the past)
};

/// AlertBand is a stretch of time an alert was firing, shaded on charts.
struct AlertBand {
    std::int64_t startMs = 0;
    std::int64_t endMs = 0;
    QString alertName; ///< from the config, but shown as plain text like everything else
    QString severity;
    QString job; ///< the alert's `job` label, when it has one: whose logs a click on the band opens
};

/// PanelData is one query answer for one panel.
struct PanelData {
    int panelIndex = -1;
    std::uint64_t generation = 0; ///< answers for an older request are dropped
    std::int64_t startMs = 0;
    std::int64_t endMs = 0;
    std::vector<PlotSeries> series; ///< current series first, then any comparison overlays
    /// hiddenSeries: series the queries returned beyond kMaxSeries, not sent (the panel says how many).
    std::size_t hiddenSeries = 0;
    /// kMaxSeries: a panel draws at most this many lines. A query matching thousands of series (a
    /// forgotten `sum by`) would otherwise build and draw them all on the GUI thread; nobody reads
    /// more than a hundred lines on one chart anyway.
    static constexpr std::size_t kMaxSeries = 100;
    QString error; ///< untrusted text (may quote the expression): plain text only
    std::vector<AlertBand> bands; ///< when related alerts were firing within [startMs, endMs]
};

} // namespace pulse

Q_DECLARE_METATYPE(pulse::PanelData)
