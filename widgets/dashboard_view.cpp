// DashboardView: lays panels out two per row.
#include "widgets/dashboard_view.h"

#include "widgets/chart_panel.h"
#include "widgets/panel_editor_dialog.h"

#include <QGridLayout>
#include <QLabel>
#include <QMenu>
#include <QTimer>

namespace pulse {

DashboardView::DashboardView(QWidget *parent)
    : QWidget(parent), m_grid(new QGridLayout(this)),
      m_empty(new QLabel(tr("This dashboard has no panels yet.\nAdd panels under dashboards: in the config "
                            "file, e.g.\n  - {title: Request rate, expr: 'rate(http_requests_total[1m])'}\n"
                            "or right-click here (Dashboard → Add Panel, Ctrl+Shift+N)."),
                         this)),
      m_pace(new QTimer(this))
{
    // A zero-interval single shot runs after the events already queued, paints included.
    m_pace->setSingleShot(true);
    m_pace->setInterval(0);
    connect(m_pace, &QTimer::timeout, this, &DashboardView::applyNext);
    setContextMenuPolicy(Qt::CustomContextMenu);
    connect(this, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu;
        menu.addAction(tr("Add Panel…"), this, [this] { editPanel(-1); });
        menu.exec(mapToGlobal(pos));
    });
    m_empty->setTextFormat(Qt::PlainText);
    m_empty->setAlignment(Qt::AlignCenter);
    m_grid->addWidget(m_empty, 0, 0);
}

void DashboardView::setDashboard(const DashboardConfig &dashboard)
{
    for (auto *p : m_panels)
        delete p;
    m_panels.clear();
    m_pending.clear(); // answers for the old panels
    m_name = QString::fromStdString(dashboard.name);
    m_config = dashboard;
    constexpr int kColumns = 2;
    int i = 0;
    for (const auto &panel : dashboard.panels) {
        QStringList exprs;
        for (const auto &e : panel.exprs)
            exprs << QString::fromStdString(e);
        auto *chart = new ChartPanel(QString::fromStdString(panel.title), exprs, QString::fromStdString(panel.unit), this,
                                     panel.kind, panel.thresholds);
        chart->setDarkTheme(m_dark);
        chart->setLegendTemplate(QString::fromStdString(panel.legend.value_or(std::string())));
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
        chart->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(chart, &QWidget::customContextMenuRequested, this, [this, i, chart](const QPoint &pos) {
            QMenu menu;
            menu.addAction(tr("Edit Panel…"), this, [this, i] { editPanel(i); });
            menu.addAction(tr("Remove Panel"), this, [this, i] { removePanel(i); });
            menu.addAction(tr("Add Panel…"), this, [this] { editPanel(-1); });
            menu.exec(chart->mapToGlobal(pos));
        });
        ++i;
    }
    m_empty->setVisible(m_panels.empty());
}

void DashboardView::editPanel(int index)
{
    const bool adding = index < 0 || index >= static_cast<int>(m_config.panels.size());
    PanelEditorDialog dialog(adding ? PanelConfig{} : m_config.panels[static_cast<std::size_t>(index)], this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    replacePanel(adding ? -1 : index, dialog.panel());
}

void DashboardView::replacePanel(int index, const PanelConfig &panel)
{
    DashboardConfig next = m_config;
    if (index < 0 || index >= static_cast<int>(next.panels.size()))
        next.panels.push_back(panel);
    else
        next.panels[static_cast<std::size_t>(index)] = panel;
    // Rebuilt after this handler returns: the panel whose menu is open must outlive it.
    QMetaObject::invokeMethod(this, [this, next] {
        setDashboard(next);
        emit edited(m_config);
    }, Qt::QueuedConnection);
}

void DashboardView::removePanel(int index)
{
    if (index < 0 || index >= static_cast<int>(m_config.panels.size()))
        return;
    DashboardConfig next = m_config;
    next.panels.erase(next.panels.begin() + index);
    QMetaObject::invokeMethod(this, [this, next] {
        setDashboard(next);
        emit edited(m_config);
    }, Qt::QueuedConnection);
}

void DashboardView::setDarkTheme(bool dark)
{
    m_dark = dark;
    for (auto *p : m_panels)
        p->setDarkTheme(dark);
}

void DashboardView::applyData(PanelData data)
{
    const int index = data.panelIndex;
    if (index < 0 || index >= static_cast<int>(m_panels.size()))
        return;
    if (!m_pace->isActive() && m_pending.empty()) {
        // Nothing drawn this turn yet: draw now, and hold whatever else arrives until the next turn.
        m_panels[static_cast<std::size_t>(index)]->setData(std::move(data));
        m_pace->start();
        return;
    }
    m_pending.insert_or_assign(index, std::move(data));
    if (!m_pace->isActive())
        m_pace->start();
}

void DashboardView::applyNext()
{
    if (m_pending.empty())
        return;
    auto node = m_pending.extract(m_pending.begin());
    if (node.key() < static_cast<int>(m_panels.size()))
        m_panels[static_cast<std::size_t>(node.key())]->setData(std::move(node.mapped()));
    m_pace->start(); // the next one after this turn's repaint; an idle turn ends the burst
}

void DashboardView::flushPending()
{
    while (!m_pending.empty())
        applyNext();
    m_pace->stop();
}

} // namespace pulse
