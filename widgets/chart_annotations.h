// ChartAnnotations: what a chart shows besides its series — threshold lines (from alert rules and
// panel thresholds) and shaded bands where an alert was firing.
#pragma once

#include "core/plot/plot_series.h"

#include <QColor>
#include <QObject>
#include <QString>

#include <vector>

class QChart;
class QGraphicsLineItem;
class QGraphicsRectItem;
class QGraphicsSimpleTextItem;

namespace pulse {

/// ThresholdLine is a horizontal line at a value in the panel's raw unit (before unit scaling).
struct ThresholdLine {
    double value = 0;
    QColor color;
    QString label; ///< e.g. "ApiSlow > 0.5": drawn as plain text
};

/// ChartAnnotations draws on top of a QChart's plot area with plain graphics items (so nothing is
/// parsed as HTML and QtCharts' series and legend stay untouched). It re-positions itself when the
/// plot area moves; ChartPanel calls update() after changing the axes.
class ChartAnnotations : public QObject {
    Q_OBJECT
public:
    explicit ChartAnnotations(QChart *chart);
    ~ChartAnnotations() override;

    void setLines(std::vector<ThresholdLine> lines);
    void setBands(std::vector<AlertBand> bands);
    /// setDivisor: the chart shows values divided by this (the unit scale); lines follow.
    void setDivisor(double divisor);
    /// update re-maps every item to the current axes and plot area.
    void update();

    const std::vector<ThresholdLine> &lines() const { return m_lines; }
    const std::vector<AlertBand> &bands() const { return m_bands; }
    /// visibleBandCount / visibleLineCount: what is drawn now, for tests.
    int visibleBandCount() const;
    int visibleLineCount() const;
    /// bandAt returns the band under a chart time, or nullptr.
    const AlertBand *bandAt(std::int64_t timeMs) const;

private:
    void rebuildItems();

    QChart *m_chart;
    std::vector<ThresholdLine> m_lines;
    std::vector<AlertBand> m_bands;
    double m_divisor = 1;
    std::vector<QGraphicsLineItem *> m_lineItems;
    std::vector<QGraphicsSimpleTextItem *> m_lineLabels;
    std::vector<QGraphicsRectItem *> m_bandItems;
};

} // namespace pulse
