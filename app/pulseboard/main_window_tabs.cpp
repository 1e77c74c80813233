// MainWindow's parts: the docks (services, logs, alerts), the dashboard tabs and what identifies
// each tab, and the status bar. Built once by the constructor (main_window.cpp).
#include "app/pulseboard/main_window.h"

#include "app/pulseboard/alert_links.h"
#include "app/pulseboard/target_dashboard.h"
#include "widgets/alert_notifier.h"
#include "widgets/alerts_panel.h"
#include "widgets/chart_annotations.h"
#include "widgets/chart_panel.h"
#include "widgets/dashboard_view.h"
#include "widgets/log_view.h"
#include "widgets/service_list_model.h"
#include "widgets/theme.h"
#include "widgets/time_range_bar.h"

#include <QDockWidget>
#include <QFontMetrics>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTimer>
#include <QTreeView>

#include <algorithm>

namespace pulse {

namespace {

// A tab's identity lives in two properties of its widget, never in its title: a configured dashboard
// may well be called "Target: api".
constexpr char kTabKind[] = "pulseTabKind";
constexpr char kTabSubject[] = "pulseTabSubject";

} // namespace

void MainWindow::buildServicesDock()
{
    std::vector<TargetStatus> rows;
    for (const auto &t : m_config.targets) {
        TargetStatus s;
        s.name = t.name;
        s.kind = std::string(targetKindName(t.kind()));
        s.endpoint = t.endpoint();
        rows.push_back(std::move(s));
    }
    m_services->setTargets(std::move(rows));
    m_serviceView->setModel(m_services);
    m_serviceView->setObjectName(QStringLiteral("serviceList"));
    m_serviceView->setRootIsDecorated(false);
    m_serviceView->setUniformRowHeights(true);
    m_serviceView->header()->setStretchLastSection(false);
    m_serviceView->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    // Fixed widths: ResizeToContents measured every row's text at every update (200 targets' "last
    // run" change every second), two fifths of the GUI thread's time.
    const QFontMetrics metrics(m_serviceView->font());
    const int padding = 4 * m_serviceView->style()->pixelMetric(QStyle::PM_FocusFrameHMargin) + 8;
    for (const auto column : {ServiceListModel::UptimeColumn, ServiceListModel::LastRunColumn}) {
        const int cells = metrics.horizontalAdvance(ServiceListModel::widestText(column)) + padding;
        m_serviceView->header()->setSectionResizeMode(column, QHeaderView::Fixed);
        m_serviceView->header()->resizeSection(column,
                                               std::max(cells, m_serviceView->header()->sectionSizeHint(column)));
    }
    connect(m_serviceView, &QTreeView::activated, this, [this](const QModelIndex &index) {
        openTarget(m_services->data(m_services->index(index.row(), 0), ServiceListModel::NameRole).toString());
    });
    auto *servicesDock = new QDockWidget(tr("Services"), this);
    servicesDock->setObjectName(QStringLiteral("servicesDock"));
    servicesDock->setWidget(m_serviceView);
    addDockWidget(Qt::LeftDockWidgetArea, servicesDock);
}

void MainWindow::buildLogsAndAlertsDocks()
{
    // Logs dock: the view asks (queryRequested), the query thread answers (setRecords).
    m_logsDock = new QDockWidget(tr("Logs"), this);
    m_logsDock->setObjectName(QStringLiteral("logsDock"));
    m_logsDock->setWidget(m_logView);
    addDockWidget(Qt::BottomDockWidgetArea, m_logsDock);
    m_logView->setFindShortcutEnabled(false); // the window-wide Ctrl+F below reaches it from anywhere
    connect(m_logView, &LogView::queryRequested, this, &MainWindow::logQueryRequested);
    // A double-clicked line shows the charts around its moment (and a chart click shows the lines).
    connect(m_logView, &LogView::timeActivated, this, [this](qint64 timeMs) {
        constexpr std::int64_t kAround = 15 * 60'000;
        m_rangeBar->setCustomRange(timeMs - kAround, timeMs + kAround);
    });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] { m_logView->setTargets(logTargetsOfTab()); });

    // Alerts dock: beside the logs, so an alert and what the logs said are on screen together.
    auto *alertsDock = new QDockWidget(tr("Alerts"), this);
    alertsDock->setObjectName(QStringLiteral("alertsDock"));
    alertsDock->setWidget(m_alerts);
    addDockWidget(Qt::BottomDockWidgetArea, alertsDock);
    splitDockWidget(alertsDock, m_logsDock, Qt::Horizontal);
    connect(m_alerts, &AlertsPanel::drillDownRequested, this, &MainWindow::drillDown);
    // The tray: its icon brings the window back, a notification opens its alert's drill-down.
    connect(m_notifier, &AlertNotifier::windowRequested, this, &MainWindow::bringToFront);
    connect(m_notifier, &AlertNotifier::drillDownRequested, this,
            [this](const QString &job, std::int64_t startMs, std::int64_t endMs, std::int64_t atMs) {
                bringToFront();
                drillDown(job, startMs, endMs, atMs);
            });
    connect(m_notifier, &AlertNotifier::shown, this, [this](const AlertNotice &notice) {
        statusBar()->showMessage(notice.title + QStringLiteral(" — ") + notice.body, 15000);
    });
}

void MainWindow::buildDashboardTabs()
{
    m_tabs->setTabsClosable(false);
    for (const auto &d : m_config.dashboards)
        addDashboardTab(d);
    if (m_config.dashboards.empty()) {
        auto *hint = new QLabel(tr("No dashboards configured.\nAdd a dashboards: section to your config file "
                                   "(see docs/config.md), or start pulseboard without --config to watch the demo.\n"
                                   "Double-click a target on the left to see its own charts."));
        hint->setTextFormat(Qt::PlainText);
        hint->setAlignment(Qt::AlignCenter);
        setTabId(hint, TabKind::Welcome, {});
        m_tabs->addTab(hint, tr("Welcome"));
    }
}

void MainWindow::buildStatusBar()
{
    m_statusAlerts->setObjectName(QStringLiteral("alertStatus"));
    statusBar()->addWidget(m_statusAlerts);
    m_statusNotify->setTextFormat(Qt::PlainText); // a receiver's error text
    m_statusNotify->setObjectName(QStringLiteral("notifyStatus"));
    m_statusNotify->setVisible(false);
    statusBar()->addWidget(m_statusNotify);
    statusBar()->addWidget(m_statusTargets);
    statusBar()->addWidget(m_statusRate);
    m_statusStore->setTextFormat(Qt::PlainText); // carries paths and SQLite messages
    m_statusStore->setObjectName(QStringLiteral("storeStatus"));
    statusBar()->addPermanentWidget(m_statusStore);
}

void MainWindow::setTabId(QWidget *tab, TabKind kind, const QString &subject)
{
    tab->setProperty(kTabKind, static_cast<int>(kind));
    tab->setProperty(kTabSubject, subject);
}

MainWindow::TabKind MainWindow::tabKind(int index) const
{
    const QWidget *tab = m_tabs->widget(index);
    return tab ? static_cast<TabKind>(tab->property(kTabKind).toInt()) : TabKind::Welcome;
}

QString MainWindow::tabSubject(int index) const
{
    const QWidget *tab = m_tabs->widget(index);
    return tab ? tab->property(kTabSubject).toString() : QString();
}

int MainWindow::findTab(TabKind kind, const QString &subject) const
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (tabKind(i) == kind && tabSubject(i) == subject)
            return i;
    }
    return -1;
}

QString MainWindow::tabKey(int index) const
{
    return QString::number(static_cast<int>(tabKind(index))) + QLatin1Char(':') + tabSubject(index);
}

void MainWindow::addDashboardTab(const DashboardConfig &dashboard, TabKind kind, const QString &subject)
{
    auto *view = new DashboardView;
    setTabId(view, kind, kind == TabKind::Dashboard ? QString::fromStdString(dashboard.name) : subject);
    view->setDashboard(dashboard);
    view->setDarkTheme(m_dark);
    applyAlertLinks(view);
    connect(view, &DashboardView::rangeRequested, m_rangeBar, &TimeRangeBar::setCustomRange);
    connect(view, &DashboardView::resetRequested, this, [this] { m_rangeBar->select(0); });
    connect(view, &DashboardView::edited, this, [this](const DashboardConfig &edited) {
        for (auto &d : m_config.dashboards)
            if (d.name == edited.name)
                d = edited;
        if (auto *current = currentDashboard())
            applyAlertLinks(current);
        statusBar()->showMessage(tr("Dashboard changed; File → Save Config keeps it."), 8000);
        refresh();
    });
    connect(view, &DashboardView::pointClicked, this, [this, view](int panel, std::int64_t timeMs) {
        // A click on a firing band shows the logs of the target that alert is about.
        const auto &panels = view->panels();
        const AlertBand *band = panel >= 0 && panel < static_cast<int>(panels.size())
                                    ? panels[static_cast<std::size_t>(panel)]->annotations()->bandAt(timeMs)
                                    : nullptr;
        if (band && !band->job.isEmpty())
            showLogsAround(logTargetsOf(m_config, band->job.toStdString()), timeMs);
        else
            showLogsAround(logTargetsOfTab(), timeMs);
    });
    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setWidget(view);
    // Panels that scroll into view get their data (invisible ones are skipped by refresh()).
    // One request per scroll gesture, not one per scrolled pixel (each would be a new generation).
    connect(scroll->verticalScrollBar(), &QScrollBar::valueChanged, m_scrollSettle, qOverload<>(&QTimer::start));
    setTabId(scroll, kind, view->property(kTabSubject).toString());
    m_tabs->addTab(scroll, QString::fromStdString(dashboard.name));
}

void MainWindow::applyAlertLinks(DashboardView *view)
{
    const bool target = static_cast<TabKind>(view->property(kTabKind).toInt()) == TabKind::Target;
    const std::string subject = view->property(kTabSubject).toString().toStdString();
    const auto &configs = view->dashboard().panels;
    const auto &panels = view->panels();
    for (std::size_t i = 0; i < panels.size() && i < configs.size(); ++i) {
        const PanelAlertLinks links =
            target ? m_alertLinks->forTarget(configs[i], subject) : m_alertLinks->forPanel(configs[i]);
        panels[i]->setAlertLines(links.lines);
        panels[i]->setBandSelector(links.bandSelector);
    }
}

std::vector<std::string> MainWindow::logTargetsOfTab() const
{
    const int current = m_tabs->currentIndex();
    if (tabKind(current) != TabKind::Target)
        return {}; // a configured dashboard: every log
    return logTargetsOf(m_config, tabSubject(current).toStdString());
}

void MainWindow::showLogsAround(std::vector<std::string> targets, std::int64_t timeMs)
{
    m_logsDock->show();
    m_logsDock->raise();
    m_logView->showAround(std::move(targets), timeMs, 60'000);
}

void MainWindow::setDarkTheme(bool dark)
{
    m_dark = dark;
    applyTheme(dark);
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *scroll = qobject_cast<QScrollArea *>(m_tabs->widget(i));
        if (auto *view = scroll ? qobject_cast<DashboardView *>(scroll->widget()) : nullptr)
            view->setDarkTheme(dark);
    }
}

void MainWindow::openTarget(const QString &name)
{
    if (const int open = findTab(TabKind::Target, name); open >= 0) {
        m_tabs->setCurrentIndex(open);
        return;
    }
    const auto it = std::find_if(m_config.targets.begin(), m_config.targets.end(),
                                 [&](const TargetConfig &t) { return QString::fromStdString(t.name) == name; });
    if (it == m_config.targets.end())
        return;
    addDashboardTab(targetDashboard(*it, !alertRules(m_config).empty()), TabKind::Target, name);
    m_tabs->setCurrentIndex(m_tabs->count() - 1);
}

} // namespace pulse
