// QueryRequest: one panel's query, sent from the GUI thread to the query thread.
#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace pulse {

/// QueryRequest asks for one panel's series over [startMs, endMs] at stepMs resolution.
struct QueryRequest {
    int panelIndex = -1;
    std::uint64_t generation = 0; ///< answers carry it back; older generations are dropped
    QStringList exprs; ///< one panel may chart several expressions
    std::int64_t startMs = 0;
    std::int64_t endMs = 0;
    std::int64_t stepMs = 1000;
    /// compareOffsetMs > 0 adds the same query over the range that long ago, shifted onto this
    /// range and drawn dashed (trend comparison with the previous day or week).
    std::int64_t compareOffsetMs = 0;
    /// pixelWidth is the panel's plot width: answers are decimated to about two points per pixel on
    /// the query thread, so the GUI thread never handles more than the pixels need.
    int pixelWidth = 800;
    /// bandSelector selects the ALERTS series whose firing spans are shaded on the panel, e.g.
    /// `ALERTS{alertstate="firing",alertname=~"ApiDown|ApiSlow"}`; empty: no bands.
    QString bandSelector;
    /// legend names series from their labels ("{{route}}"); empty: the labels that differ.
    QString legend;
};

} // namespace pulse

Q_DECLARE_METATYPE(pulse::QueryRequest)
