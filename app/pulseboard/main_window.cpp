// MainWindow: layout, signal wiring, drill-down and the status bar (menus and settings: main_window_menus.cpp).
#include "app/pulseboard/main_window.h"

#include "app/pulseboard/alert_links.h"
#include "app/pulseboard/background_writer.h"
#include "app/pulseboard/config_saver.h"
#include "app/pulseboard/notification_status_text.h"
#include "app/pulseboard/target_dashboard.h"
#include "app/services/self_metrics.h"
#include "core/config/config_loader.h"
#include "widgets/alert_notifier.h"
#include "widgets/alerts_panel.h"
#include "widgets/chart_panel.h"
#include "widgets/dashboard_view.h"
#include "widgets/log_view.h"
#include "widgets/panel_csv.h"
#include "widgets/service_list_model.h"
#include "widgets/theme.h"
#include "widgets/time_range_bar.h"
#include "widgets/tool_tip.h"

#include <QDateTime>
#include <QDockWidget>
#include <QFile>
#include <QFontMetrics>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <iostream>

namespace pulse {

MainWindow::MainWindow(const Config &config, QWidget *parent)
    : QMainWindow(parent), m_config(config), m_writer(new BackgroundWriter(this)),
      m_services(new ServiceListModel(this)), m_serviceView(new QTreeView), m_tabs(new QTabWidget),
      m_rangeBar(new TimeRangeBar), m_logView(new LogView), m_alerts(new AlertsPanel),
      m_notifier(new AlertNotifier(this)), m_alertLinks(std::make_unique<AlertLinks>(alertRules(config))),
      m_statusAlerts(new QLabel), m_statusNotify(new QLabel), m_statusTargets(new QLabel), m_statusRate(new QLabel),
      m_statusStore(new QLabel), m_refreshTimer(new QTimer(this)), m_scrollSettle(new QTimer(this))
{
    setWindowTitle(tr("Pulseboard"));
    resize(1280, 800);
    buildServicesDock();
    buildLogsAndAlertsDocks();
    buildDashboardTabs();
    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->addWidget(m_rangeBar);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    buildStatusBar();
    buildMenus();
    restoreSettings();

    connect(m_rangeBar, &TimeRangeBar::rangeChanged, this, &MainWindow::refresh);
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::refresh);
    connect(m_writer, &BackgroundWriter::finished, this, [this](const QString &path, const QString &error) {
        statusBar()->showMessage(error.isEmpty() ? tr("Saved %1").arg(path) : tr("Not saved: %1").arg(error), 10000);
    });
    connect(m_refreshTimer, &QTimer::timeout, this, &MainWindow::tick);
    m_scrollSettle->setSingleShot(true);
    m_scrollSettle->setInterval(150);
    connect(m_scrollSettle, &QTimer::timeout, this, &MainWindow::refresh);
    m_refreshTimer->start(1000);
    updateStatusBar();
}

MainWindow::~MainWindow() = default;

void MainWindow::bringToFront()
{
    setWindowState(windowState() & ~Qt::WindowMinimized); // maximized stays maximized
    show();
    raise();
    activateWindow();
}

void MainWindow::drillDown(const QString &job, std::int64_t startMs, std::int64_t endMs, std::int64_t atMs)
{
    openTarget(job);
    m_rangeBar->setCustomRange(startMs, endMs);
    showLogsAround(logTargetsOf(m_config, job.toStdString()), atMs);
}

void MainWindow::onAlerts(const AlertSnapshot &snapshot)
{
    m_notifier->notify(snapshot.transitions);
    m_notifier->setAlerts(snapshot.alerts, snapshot.atMs);
    m_alerts->setAlerts(snapshot.alerts, snapshot.atMs);
    m_alerts->setSilences(snapshot.silences, QDateTime::currentMSecsSinceEpoch());
    m_alerts->setHealth(snapshot.health);
    m_alerts->setError(snapshot.error);
    int firing = 0;
    int pending = 0;
    for (const auto &a : snapshot.alerts) {
        if (a.silencedBy != 0)
            continue;
        firing += a.state == AlertState::Firing ? 1 : 0;
        pending += a.state == AlertState::Pending ? 1 : 0;
    }
    m_statusAlerts->setText(firing > 0    ? tr("alerts: %1 firing").arg(firing)
                            : pending > 0 ? tr("alerts: %1 pending").arg(pending)
                                          : tr("alerts: none firing"));
    m_statusAlerts->setStyleSheet(firing > 0 ? QStringLiteral("color: #c0392b; font-weight: bold;") : QString());
    m_statusAlerts->setVisible(!alertRules(m_config).empty());
}

void MainWindow::onNotificationStatus(const NotificationStatus &status)
{
    const NotificationStatusText shown = notificationStatusText(status);
    m_statusNotify->setText(shown.text);
    m_statusNotify->setToolTip(plainToolTip(shown.toolTip));
    m_statusNotify->setStyleSheet(shown.failing ? QStringLiteral("color: #c0392b;") : QString());
    m_statusNotify->setVisible(!shown.text.isEmpty());
}

void MainWindow::saveConfig()
{
    const QString path = !m_configPath.isEmpty()
                             ? m_configPath
                             : QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
                                   QStringLiteral("/pulseboard/pulseboard.yaml");
    // The file is read on the writer's pool thread, and only its dashboards section is rewritten.
    m_writer->write(
        path,
        [config = m_config, path]() -> Result<std::string> {
            std::optional<std::string> original;
            QFile file(path);
            if (file.exists()) {
                if (!file.open(QIODevice::ReadOnly))
                    return fail("cannot read " + path.toStdString() + ": " + file.errorString().toStdString());
                original = file.readAll().toStdString();
            }
            return savedConfigText(config, original, path.toStdString());
        },
        true);
}

void MainWindow::exportCsv(const QString &path)
{
    auto *dashboard = currentDashboard();
    if (!dashboard)
        return;
    dashboard->flushPending(); // export what the latest answers say, including any not drawn yet
    std::vector<std::pair<QString, PanelData>> panels;
    for (auto *p : dashboard->panels())
        panels.emplace_back(p->title(), p->data());
    m_writer->write(
        path, [panels = std::move(panels)]() -> Result<std::string> { return panelCsv(panels); }, false);
}

void MainWindow::setSampleCounter(std::function<std::uint64_t()> counter)
{
    m_sampleCounter = std::move(counter);
}

DashboardView *MainWindow::currentDashboard() const
{
    auto *scroll = qobject_cast<QScrollArea *>(m_tabs->currentWidget());
    return scroll ? qobject_cast<DashboardView *>(scroll->widget()) : nullptr;
}

void MainWindow::tick()
{
    updateStatusBar();
    if (m_rangeBar->live())
        requestPanels(false);
    if (m_tick % 10 == 0)
        emit uptimeRequested(QDateTime::currentMSecsSinceEpoch());
    if (m_tick % 5 == 0)
        emit storeStatusRequested();
    ++m_tick;
}

void MainWindow::refresh()
{
    requestPanels(true);
}

void MainWindow::requestPanels(bool viewChanged)
{
    auto *dashboard = currentDashboard();
    if (!dashboard)
        return;
    // The generation names what is shown (dashboard, range, scroll position): answers to an older one
    // are dropped. A live tick keeps it, and skips panels whose last request is still being answered:
    // a month of rate() can take longer than the tick, and asking again every second queued requests
    // without end while every answer arrived a generation late and was dropped — nothing was drawn.
    const std::int64_t nowMs = QDateTime::currentMSecsSinceEpoch();
    if (viewChanged || m_inFlight.size() != dashboard->panels().size()) {
        ++m_generation;
        m_inFlight.assign(dashboard->panels().size(), false);
        m_askedAtMs.assign(dashboard->panels().size(), INT64_MIN);
        m_answered.assign(dashboard->panels().size(), false);
    }
    const auto [start, end] = m_rangeBar->range(nowMs);
    m_logView->setTimeRange(start, end + 1);
    // About one step per two pixels of the widest panel, never finer than a second.
    const int width = std::max(200, m_tabs->width() / 2);
    const std::int64_t step = std::max<std::int64_t>(1000, (end - start) / (width / 2));
    const auto &panels = dashboard->panels();
    for (std::size_t i = 0; i < panels.size(); ++i) {
        // Panels scrolled out of sight are not queried; they catch up when they come back.
        if (isVisible() && panels[i]->visibleRegion().isEmpty())
            continue;
        // A live tick asks a panel again once its step has passed (a month at 43-minute steps does not
        // change every second), and never while it is still being answered.
        if (m_inFlight[i] || (!viewChanged && nowMs - m_askedAtMs[i] < step))
            continue;
        m_inFlight[i] = true;
        m_askedAtMs[i] = nowMs;
        QueryRequest req;
        req.panelIndex = static_cast<int>(i);
        req.generation = m_generation;
        req.exprs = panels[i]->exprs();
        req.startMs = start;
        req.endMs = end;
        req.stepMs = step;
        req.compareOffsetMs = m_rangeBar->compareOffsetMs();
        req.pixelWidth = std::max(100, panels[i]->width());
        req.bandSelector = panels[i]->bandSelector();
        req.legend = panels[i]->legendTemplate();
        emit queryRequested(req);
    }
}

bool MainWindow::selectRange(const QString &label)
{
    const int index = TimeRangeBar::spanIndex(label);
    if (index < 0)
        return false;
    m_rangeBar->select(index);
    return true;
}

void MainWindow::onAnswer(const PanelData &data)
{
    if (data.generation != m_generation)
        return; // an answer for a range or dashboard no longer shown
    const auto panel = static_cast<std::size_t>(data.panelIndex);
    const bool known = data.panelIndex >= 0 && panel < m_inFlight.size();
    if (known)
        m_inFlight[panel] = false;
    if (auto *dashboard = currentDashboard())
        dashboard->applyData(data);
    // Start-up lines on stderr, written after the posted paint (users and benchmarks check them): the
    // first chart with data, and every chart of the dashboard with data (a slow panel — a month of
    // rate() — is what a user waits for, not the quickest one).
    const bool withData =
        std::any_of(data.series.begin(), data.series.end(), [](const auto &s) { return !s.points.empty(); });
    if (!withData)
        return;
    if (known)
        m_answered[panel] = true;
    if (!m_firstChartLogged) {
        m_firstChartLogged = true;
        logStartupMoment("first chart drawn");
    }
    if (!m_allChartsLogged && !m_answered.empty() &&
        std::find(m_answered.begin(), m_answered.end(), false) == m_answered.end()) {
        m_allChartsLogged = true;
        logStartupMoment("every chart drawn");
    }
}

void MainWindow::logStartupMoment(const char *what)
{
    QTimer::singleShot(0, this, [what] {
        std::cerr << "pulseboard: " << what << " at epoch_ms=" << QDateTime::currentMSecsSinceEpoch() << '\n';
    });
}

void MainWindow::onLogs(const LogQueryAnswer &answer)
{
    m_logView->setRecords(answer);
}

void MainWindow::onStatus(const TargetStatus &status)
{
    m_services->updateStatus(status);
}

void MainWindow::onStatusesPending()
{
    if (m_statusTakeScheduled || !m_takeStatuses)
        return;
    m_statusTakeScheduled = true;
    // Once a second at most, whatever the scrape rate: the list's "last run" column ticks by seconds,
    // and repainting 200 rows four times a second was an eighth of the app's CPU at 200 targets x 1 s.
    QTimer::singleShot(1000, this, [this] {
        m_statusTakeScheduled = false;
        m_services->updateStatuses(m_takeStatuses());
    });
}

void MainWindow::onUptime(const QHash<QString, double> &uptime)
{
    m_services->setUptime(uptime);
}

void MainWindow::showStartupWarning(const QString &text)
{
    auto *label = new QLabel(this);
    label->setObjectName(QStringLiteral("startupWarning"));
    label->setTextFormat(Qt::PlainText);
    label->setText(text);
    label->setStyleSheet(QStringLiteral("color: #d35400;"));
    label->setToolTip(plainToolTip(text));
    statusBar()->addWidget(label, 1);
}

void MainWindow::onStoreStatus(const StoreStatus &status)
{
    // Panels asked before the history was readable got an empty answer: ask again now, not at the
    // next tick (start-up time to the first chart).
    const bool readable = status.open || status.opening;
    if (readable && !m_historyReadable) {
        // A live range keeps its generation: a slow panel already being answered from the file is not
        // asked twice (its answer is taken), quick ones answered empty are asked again at once.
        QTimer::singleShot(0, this, [this] { requestPanels(!m_rangeBar->live()); });
    }
    m_historyReadable = readable;
    if (!status.error.isEmpty()) {
        m_statusStore->setText(tr("history: %1").arg(status.error));
        m_statusStore->setStyleSheet(QStringLiteral("color: #c0392b;"));
        m_statusStore->setToolTip(plainToolTip(status.path));
        return;
    }
    m_statusStore->setStyleSheet(QString());
    if (status.opening) {
        m_statusStore->setText(tr("history: opening for writing…"));
        m_statusStore->setToolTip(plainToolTip(status.path));
        return;
    }
    if (!status.open) {
        m_statusStore->setText(tr("history: memory only"));
        return;
    }
    const QString quarantined =
        status.quarantinedSeries ? tr(" · %1 damaged series set aside").arg(status.quarantinedSeries) : QString();
    m_statusStore->setText(tr("history: %1 MiB · writer lag %2 s%3%4")
                               .arg(QString::number(static_cast<double>(status.fileBytes) / 1048576.0, 'f', 1),
                                    QString::number(static_cast<double>(status.writerLagMs) / 1000.0, 'f', 1),
                                    status.droppedSamples ? tr(" · %1 dropped").arg(status.droppedSamples) : QString(),
                                    quarantined));
    m_statusStore->setStyleSheet(status.quarantinedSeries ? QStringLiteral("color: #d35400;") : QString());
    m_statusStore->setToolTip(plainToolTip(
        status.quarantinedSeries
            ? status.path + tr("\n%1 series of the catalogue have a label set that does not decode: they are "
                               "not shown, the rest is (pulse_writer_quarantined_series).")
                                .arg(status.quarantinedSeries)
            : status.path));
}

void MainWindow::updateStatusBar()
{
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    m_services->setNow(now);
    m_statusTargets->setText(tr("targets up: %1/%2").arg(m_services->upCount()).arg(m_services->rowCount()));
    if (!m_sampleCounter)
        return;
    const std::uint64_t samples = m_sampleCounter();
    if (m_lastSamplesAtMs > 0 && now > m_lastSamplesAtMs) {
        const double rate =
            static_cast<double>(samples - m_lastSamples) * 1000.0 / static_cast<double>(now - m_lastSamplesAtMs);
        m_statusRate->setText(tr("ingest: %1 samples/s").arg(rate, 0, 'f', 0));
    }
    m_lastSamples = samples;
    m_lastSamplesAtMs = now;
}

} // namespace pulse
