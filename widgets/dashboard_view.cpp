// DashboardView: lays panels out two per row.
#include "widgets/dashboard_view.h"

#include "widgets/chart_panel.h"

#include <QGridLayout>
#include <QLabel>

namespace pulse {

DashboardView::DashboardView(QWidget *parent)
    : QWidget(parent), m_grid(new QGridLayout(this)),
      m_empty(new QLabel(tr("This dashboard has no panels yet.\nAdd panels under dashboards: in the config "
                            "file, e.g.\n  - {title: Request rate, expr: 'rate(http_requests_total[1m])'}"),
                         this))
{
    m_empty->setTextFormat(Qt::PlainText);
    m_empty->setAlignment(Qt::AlignCenter);
    m_grid->addWidget(m_empty, 0, 0);
}

void DashboardView::setDashboard(const DashboardConfig &dashboard)
{
    for (auto *p : m_panels)
        delete p;
    m_panels.clear();
    m_name = QString::fromStdString(dashboard.name);
    constexpr int kColumns = 2;
    int i = 0;
    for (const auto &panel : dashboard.panels) {
        QStringList exprs;
        for (const auto &e : panel.exprs)
            exprs << QString::fromStdString(e);
        auto *chart = new ChartPanel(QString::fromStdString(panel.title), exprs, QString::fromStdString(panel.unit), this,
                                     panel.kind, panel.thresholds);
        chart->setDarkTheme(m_dark);
        m_grid->addWidget(chart, i / kColumns, i % kColumns);
        m_panels.push_back(chart);
        // One crosshair time for every panel: hovering one chart shows the same moment on all.
        connect(chart, &ChartPanel::hovered, this, [this](std::int64_t t) {
            for (auto *p : m_panels)
                p->setCrosshair(t);
        });
        connect(chart, &ChartPanel::hoverLeft, this, [this] {
            for (auto *p : m_panels)
                p->clearCrosshair();
        });
        connect(chart, &ChartPanel::rangeRequested, this, &DashboardView::rangeRequested);
        connect(chart, &ChartPanel::resetRequested, this, &DashboardView::resetRequested);
        connect(chart, &ChartPanel::clicked, this, [this, i](std::int64_t t) { emit pointClicked(i, t); });
        ++i;
    }
    m_empty->setVisible(m_panels.empty());
}

void DashboardView::setDarkTheme(bool dark)
{
    m_dark = dark;
    for (auto *p : m_panels)
        p->setDarkTheme(dark);
}

void DashboardView::applyData(PanelData data)
{
    if (data.panelIndex >= 0 && data.panelIndex < static_cast<int>(m_panels.size()))
        m_panels[static_cast<std::size_t>(data.panelIndex)]->setData(std::move(data));
}

} // namespace pulse
