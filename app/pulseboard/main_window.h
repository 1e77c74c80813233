// MainWindow: wires the service list, the dashboards, the time range bar and the status bar.
#pragma once

#include "app/pulseboard/query_request.h"
#include "core/config.h"
#include "core/target_status.h"
#include "widgets/plot_series.h"

#include <QMainWindow>

#include <cstdint>
#include <functional>

class QLabel;
class QListView;
class QTabWidget;
class QTimer;

namespace pulse {

class ConfigSaver;
class DashboardView;
class ServiceListModel;
class TimeRangeBar;

/// MainWindow shows what it is told and asks for queries; it computes nothing itself.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(const Config &config, QWidget *parent = nullptr);

    /// setSampleCounter gives the status bar its ingest figure (read once a second).
    void setSampleCounter(std::function<std::uint64_t()> counter);

    ServiceListModel *serviceModel() const { return m_services; }
    DashboardView *currentDashboard() const;
    TimeRangeBar *timeRangeBar() const { return m_rangeBar; }

public slots:
    void onStatus(const pulse::TargetStatus &status);
    void onAnswer(const pulse::PanelData &data);
    /// refresh asks for fresh data for every panel of the visible dashboard.
    void refresh();

signals:
    void queryRequested(pulse::QueryRequest request);

private:
    void buildMenus();
    void saveConfig();
    void updateStatusBar();

    Config m_config;
    ConfigSaver *m_saver;
    ServiceListModel *m_services;
    QListView *m_serviceView;
    QTabWidget *m_tabs;
    TimeRangeBar *m_rangeBar;
    QLabel *m_statusTargets;
    QLabel *m_statusRate;
    QTimer *m_refreshTimer;
    std::function<std::uint64_t()> m_sampleCounter;
    std::uint64_t m_lastSamples = 0;
    std::int64_t m_lastSamplesAtMs = 0;
    std::uint64_t m_generation = 0;
};

} // namespace pulse
