// ChartPanel: one dashboard panel — a titled line chart of the series one PromQL expression returns.
#pragma once

#include "widgets/plot_series.h"

#include <QFrame>

class QChart;
class QChartView;
class QDateTimeAxis;
class QLabel;
class QValueAxis;

namespace pulse {

/// ChartPanel draws what it is given; it never queries. Series are decimated to about two points
/// per horizontal pixel before they reach QtCharts, and axes are set before points are replaced
/// (QtCharts recomputes everything on an axis change).
class ChartPanel : public QFrame {
    Q_OBJECT
public:
    ChartPanel(const QString &title, const QString &expr, const QString &unit, QWidget *parent = nullptr);

    /// setData replaces the drawn series. Series beyond the palette still draw, in default colours.
    void setData(const PanelData &data);

    QString title() const { return m_title; }
    QString expr() const { return m_expr; }
    /// seriesCount and pointCount tell tests what reached the chart after decimation.
    int seriesCount() const;
    qsizetype pointCount(int series) const;
    QString errorText() const;
    QChart *chart() const { return m_chart; }

private:
    QString m_title;
    QString m_expr;
    QString m_unit;
    QLabel *m_titleLabel;
    QLabel *m_errorLabel;
    QChartView *m_view;
    QChart *m_chart;
    QDateTimeAxis *m_axisX;
    QValueAxis *m_axisY;
    bool m_axisLabelsRefreshed = false;
};

} // namespace pulse
