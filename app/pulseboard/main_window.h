// MainWindow: wires the service list, the dashboards, the time range bar, menus and the status bar.
#pragma once

#include "app/services/alert_service.h"
#include "app/services/notification_service.h"
#include "app/services/query_request.h"
#include "app/services/query_service.h"
#include "core/base/target_status.h"
#include "core/config/config.h"
#include "core/plot/plot_series.h"

#include <QHash>
#include <QMainWindow>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

class QDockWidget;
class QLabel;
class QTabWidget;
class QTimer;
class QTreeView;

namespace pulse {

class AlertLinks;
class AlertNotifier;
class AlertsPanel;
class BackgroundWriter;
class DashboardView;
class LogView;
class ServiceListModel;
class TimeRangeBar;

/// MainWindow shows what it is told and asks for queries; it computes nothing itself: queries run
/// on the query thread, files are written by BackgroundWriter, dashboards come from the config or
/// targetDashboard().
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(const Config &config, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// setSampleCounter gives the status bar its ingest figure (read once a second).
    void setSampleCounter(std::function<std::uint64_t()> counter);
    /// setStatusSource gives the window the function that takes the targets' latest statuses (Hub).
    void setStatusSource(std::function<std::vector<TargetStatus>()> take) { m_takeStatuses = std::move(take); }

    ServiceListModel *serviceModel() const { return m_services; }
    QTreeView *serviceView() const { return m_serviceView; }
    QTabWidget *tabs() const { return m_tabs; }
    DashboardView *currentDashboard() const;
    TimeRangeBar *timeRangeBar() const { return m_rangeBar; }
    LogView *logView() const { return m_logView; }
    AlertsPanel *alertsPanel() const { return m_alerts; }

    /// openTarget shows the drill-down dashboard of a target (creating its tab once).
    void openTarget(const QString &name);
    /// drillDown shows what happened to `job` between startMs and endMs: its dashboard over that
    /// range (the time bar leaves Live) and its logs around atMs.
    void drillDown(const QString &job, std::int64_t startMs, std::int64_t endMs, std::int64_t atMs);
    /// bringToFront shows the window (restored if minimized or hidden) and raises it.
    void bringToFront();
    /// exportCsv writes the current dashboard's data to `path` (off the GUI thread).
    void exportCsv(const QString &path);
    void setDarkTheme(bool dark);
    /// setConfigPath is the file the config came from; Save Config writes back there (keeping a
    /// .bak). Empty: the built-in demo, saved to ~/.config/pulseboard/pulseboard.yaml.
    void setConfigPath(const QString &path) { m_configPath = path; }
    /// showStartupWarning keeps `text` in the status bar (plain text, orange) for the whole session:
    /// something about this machine the user must fix (the open-file limit), not a passing notice.
    void showStartupWarning(const QString &text);
    /// selectRange shows the span with this label ("30d", …; TimeRangeBar::spanIndex); false if none.
    bool selectRange(const QString &label);
    const Config &config() const { return m_config; }

public slots:
    void onLogs(const pulse::LogQueryAnswer &answer);
    void onStatus(const pulse::TargetStatus &status);
    /// onStatusesPending: targets reported; their statuses are taken from the status source a
    /// quarter second later, all at once (however often they run).
    void onStatusesPending();
    void onAnswer(const pulse::PanelData &data);
    void onUptime(const QHash<QString, double> &uptime);
    void onStoreStatus(const pulse::StoreStatus &status);
    void onAlerts(const pulse::AlertSnapshot &snapshot);
    /// onNotificationStatus shows notification delivery trouble in the status bar.
    void onNotificationStatus(const pulse::NotificationStatus &status);
    /// refresh asks for fresh data for every visible panel of the visible dashboard.
    void refresh();
    /// tick runs once a second (status bar, live panels not still being answered, uptime, store).
    void tick();

signals:
    void queryRequested(pulse::QueryRequest request);
    /// uptimeRequested asks the query thread for every target's 24 h uptime at `nowMs`.
    void uptimeRequested(std::int64_t nowMs);
    /// storeStatusRequested asks the query thread for the history file's figures.
    void storeStatusRequested();
    /// logQueryRequested forwards the log view's query to the query thread.
    void logQueryRequested(pulse::LogQuery query);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    /// requestPanels asks for the visible panels' data; `viewChanged` starts a new generation (see .cpp).
    void requestPanels(bool viewChanged);
    /// logStartupMoment writes "pulseboard: <what> at epoch_ms=…" once the posted paint has run.
    void logStartupMoment(const char *what);
    void buildMenus();
    /// showLogsAround opens the logs dock on the records of `targets` (empty: all) around timeMs.
    void showLogsAround(std::vector<std::string> targets, std::int64_t timeMs);
    /// logTargetsOfTab is what the drill-down shows for the current tab: a target tab's own logs,
    /// or every log for a configured dashboard.
    std::vector<std::string> logTargetsOfTab() const;

    /// TabKind and a subject (the dashboard's or target's name) identify a tab, whatever its title.
    enum class TabKind { Welcome, Dashboard, Target, Self };
    void addDashboardTab(const DashboardConfig &dashboard, TabKind kind = TabKind::Dashboard,
                         const QString &subject = {});
    static void setTabId(QWidget *tab, TabKind kind, const QString &subject);
    TabKind tabKind(int index) const;
    QString tabSubject(int index) const;
    /// findTab is the index of the tab with this identity, or -1.
    int findTab(TabKind kind, const QString &subject) const;
    /// tabKey is a tab's identity as text (the settings remember the open tab by it).
    QString tabKey(int index) const;
    // The constructor's parts (main_window_tabs.cpp).
    void buildServicesDock();
    void buildLogsAndAlertsDocks();
    void buildDashboardTabs();
    void buildStatusBar();
    /// applyAlertLinks gives a dashboard's panels their threshold lines and firing-band selectors.
    void applyAlertLinks(DashboardView *view);
    void saveConfig();
    void updateStatusBar();
    void restoreSettings();

    Config m_config;
    QString m_configPath;
    BackgroundWriter *m_writer;
    ServiceListModel *m_services;
    QTreeView *m_serviceView;
    QTabWidget *m_tabs;
    TimeRangeBar *m_rangeBar;
    LogView *m_logView;
    QDockWidget *m_logsDock = nullptr;
    AlertsPanel *m_alerts;
    AlertNotifier *m_notifier;
    std::unique_ptr<AlertLinks> m_alertLinks;
    QLabel *m_statusAlerts;
    QLabel *m_statusNotify;
    QLabel *m_statusTargets;
    QLabel *m_statusRate;
    QLabel *m_statusStore;
    QTimer *m_refreshTimer;
    QTimer *m_scrollSettle; ///< restarted by every scroll step; refreshes once the scrolling stops
    std::function<std::uint64_t()> m_sampleCounter;
    std::function<std::vector<TargetStatus>()> m_takeStatuses;
    bool m_statusTakeScheduled = false;
    bool m_historyReadable = false;  ///< the history file has answered storeStatus as readable
    bool m_firstChartLogged = false; ///< the start-up line (first chart with data) was written
    bool m_allChartsLogged = false;  ///< the line for every panel of the first dashboard answered
    std::vector<bool> m_answered;    ///< per panel: an answer with data came in m_generation
    std::uint64_t m_lastSamples = 0;
    std::int64_t m_lastSamplesAtMs = 0;
    std::uint64_t m_generation = 0;
    std::vector<bool> m_inFlight;          ///< per panel of the shown dashboard: a request of m_generation is out
    std::vector<std::int64_t> m_askedAtMs; ///< per panel: when it was last asked (live ticks wait a step)
    int m_tick = 0;
    bool m_dark = false;
};

} // namespace pulse
