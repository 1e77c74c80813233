// ChartPanel: one dashboard panel — a titled line chart of the series one PromQL expression returns.
#pragma once

#include "core/config/config.h"
#include "core/plot/plot_series.h"
#include "widgets/chart_annotations.h"

#include <QFrame>
#include <QList>
#include <QPointF>
#include <QStringList>

#include <limits>
#include <vector>

class QChart;
class QDateTimeAxis;
class QGraphicsLineItem;
class QGraphicsSimpleTextItem;
class QGraphicsRectItem;
class QLabel;
class QValueAxis;

namespace pulse {

class InteractiveChartView;

/// ChartPanel draws what it is given; it never queries. Series are decimated to about two points
/// per horizontal pixel before they reach QtCharts, and axes are set before points are replaced
/// (QtCharts recomputes everything on an axis change).
class ChartPanel : public QFrame {
    Q_OBJECT
public:
    /// ChartPanel draws every series of every expression in `exprs` on one chart: lines (Chart),
    /// stacked areas (Area), or a single-stat tile (Stat: the first series' latest value, coloured by
    /// the highest threshold it reaches, over a sparkline).
    ChartPanel(const QString &title, const QStringList &exprs, const QString &unit, QWidget *parent = nullptr,
               PanelKind kind = PanelKind::Chart, std::vector<Threshold> thresholds = {});

    /// setData replaces the drawn series. Series beyond the palette still draw, in default colours.
    void setData(PanelData data);

    QString title() const { return m_title; }
    /// expr is the first expression; exprs all of them.
    QString expr() const { return m_exprs.value(0); }
    const QStringList &exprs() const { return m_exprs; }
    /// seriesCount and pointCount tell tests what reached the chart after decimation.
    int seriesCount() const;
    qsizetype pointCount(int series) const;
    QString errorText() const;
    PanelKind kind() const { return m_kind; }
    /// statText is the tile's value as shown (Stat panels), e.g. "42.1 ms".
    QString statText() const;
    /// data is the last data set, before decimation (for export).
    const PanelData &data() const { return m_data; }
    QChart *chart() const { return m_chart; }
    InteractiveChartView *view() const { return m_view; }

    /// setCrosshair draws a vertical line at `timeMs` and each visible series' value there (the
    /// nearest point at or before it). Dashboards call it on every panel, so crosshairs move together.
    void setCrosshair(std::int64_t timeMs);
    void clearCrosshair();
    /// crosshairText is what the crosshair box shows (plain text), for tests.
    QString crosshairText() const;
    /// setSeriesVisible hides or shows a series, as a click on its legend entry does.
    void setSeriesVisible(int series, bool visible);
    /// setAlertLines draws where related alert rules fire (`expr > 0.5` → a line at 0.5). The panel's
    /// own thresholds are drawn as lines too (chart and area panels). Lines stay within the value axis.
    void setAlertLines(std::vector<ThresholdLine> lines);
    /// setBandSelector is the PromQL selector of the ALERTS series whose firing spans this panel
    /// shades (empty: none); the query side reads it from here.
    void setBandSelector(const QString &selector) { m_bandSelector = selector; }
    const QString &bandSelector() const { return m_bandSelector; }
    /// setLegendTemplate: the panel's `legend:` ("{{route}}"), applied where series are named.
    void setLegendTemplate(const QString &legend) { m_legendTemplate = legend; }
    const QString &legendTemplate() const { return m_legendTemplate; }
    const ChartAnnotations *annotations() const { return m_annotations; }
    /// setDarkTheme switches the chart between QtCharts' light and dark themes.
    void setDarkTheme(bool dark);
    bool isSeriesVisible(int series) const;

signals:
    void hovered(std::int64_t timeMs);
    void hoverLeft();
    void rangeRequested(std::int64_t startMs, std::int64_t endMs);
    void resetRequested();
    void clicked(std::int64_t timeMs);

private:
    /// ValueRange is the extent of the drawn values (empty: min > max).
    struct ValueRange {
        double min = std::numeric_limits<double>::infinity();
        double max = -std::numeric_limits<double>::infinity();
    };
    // setData's steps.
    void showNotices(const PanelData &data);
    std::vector<QList<QPointF>> decimatedLines(const PanelData &data, ValueRange &range) const;
    void setAxes(const PanelData &data, ValueRange range);
    void connectLegendMarkers();
    void drawLines(const std::vector<QList<QPointF>> &lines, const PanelData &data);
    void drawAreas(const std::vector<QList<QPointF>> &lines, const PanelData &data);
    void applyLines();
    void updateStat(const std::vector<QList<QPointF>> &lines, double divisor, const QString &unitLabel);

    QString m_title;
    QStringList m_exprs;
    QString m_unit;
    QLabel *m_titleLabel;
    QLabel *m_errorLabel;
    QLabel *m_hiddenLabel; ///< "N more series not shown" when the query returned more than a panel draws
    QLabel *m_statLabel;
    PanelKind m_kind;
    std::vector<Threshold> m_thresholds;
    InteractiveChartView *m_view;
    QChart *m_chart;
    QDateTimeAxis *m_axisX;
    QValueAxis *m_axisY;
    bool m_axisLabelsRefreshed = false;
    PanelData m_data; ///< the last data, undecimated, for crosshair values
    ChartAnnotations *m_annotations;
    std::vector<ThresholdLine> m_alertLines;
    QString m_bandSelector;
    QString m_legendTemplate;
    QGraphicsLineItem *m_crosshairLine = nullptr;
    QGraphicsRectItem *m_crosshairBox = nullptr;
    QGraphicsSimpleTextItem *m_crosshairText = nullptr;
};

} // namespace pulse
