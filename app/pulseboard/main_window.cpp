// MainWindow: layout, menus and signal wiring.
#include "app/pulseboard/main_window.h"

#include "app/pulseboard/config_saver.h"
#include "app/pulseboard/query_service.h"
#include "widgets/chart_panel.h"
#include "widgets/dashboard_view.h"
#include "widgets/service_list_model.h"
#include "widgets/time_range_bar.h"

#include <QApplication>
#include <QDateTime>
#include <QDockWidget>
#include <QLabel>
#include <QListView>
#include <QMenuBar>
#include <QScrollArea>
#include <QScrollBar>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace pulse {

MainWindow::MainWindow(const Config &config, QWidget *parent)
    : QMainWindow(parent), m_config(config), m_saver(new ConfigSaver(this)), m_services(new ServiceListModel(this)), m_serviceView(new QListView),
      m_tabs(new QTabWidget), m_rangeBar(new TimeRangeBar), m_statusTargets(new QLabel),
      m_statusRate(new QLabel), m_refreshTimer(new QTimer(this))
{
    setWindowTitle(tr("Pulseboard"));
    resize(1280, 800);

    std::vector<TargetStatus> rows;
    for (const auto &t : config.targets) {
        TargetStatus s;
        s.name = t.name;
        s.kind = std::string(targetKindName(t.kind));
        s.endpoint = t.url.empty() ? (t.address.empty() ? t.path : t.address) : t.url;
        rows.push_back(std::move(s));
    }
    m_services->setTargets(std::move(rows));
    m_serviceView->setModel(m_services);
    m_serviceView->setObjectName(QStringLiteral("serviceList"));
    auto *servicesDock = new QDockWidget(tr("Services"), this);
    servicesDock->setObjectName(QStringLiteral("servicesDock"));
    servicesDock->setWidget(m_serviceView);
    addDockWidget(Qt::LeftDockWidgetArea, servicesDock);

    for (const auto &d : config.dashboards) {
        auto *view = new DashboardView;
        view->setDashboard(d);
        connect(view, &DashboardView::rangeRequested, m_rangeBar, &TimeRangeBar::setCustomRange);
        connect(view, &DashboardView::resetRequested, this, [this] { m_rangeBar->select(0); });
        auto *scroll = new QScrollArea;
        scroll->setWidgetResizable(true);
        scroll->setWidget(view);
        // Panels that scroll into view get their data (invisible ones are skipped by refresh()).
        connect(scroll->verticalScrollBar(), &QScrollBar::valueChanged, this, [this] {
            QTimer::singleShot(150, this, &MainWindow::refresh);
        });
        m_tabs->addTab(scroll, QString::fromStdString(d.name));
    }
    if (config.dashboards.empty()) {
        auto *hint = new QLabel(tr("No dashboards configured.\nAdd a dashboards: section to your config file "
                                   "(see README.md), or start pulseboard without --config to watch the demo."));
        hint->setTextFormat(Qt::PlainText);
        hint->setAlignment(Qt::AlignCenter);
        m_tabs->addTab(hint, tr("Welcome"));
    }

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->addWidget(m_rangeBar);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    statusBar()->addWidget(m_statusTargets);
    statusBar()->addWidget(m_statusRate);
    buildMenus();

    connect(m_rangeBar, &TimeRangeBar::rangeChanged, this, &MainWindow::refresh);
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::refresh);
    connect(m_refreshTimer, &QTimer::timeout, this, [this] {
        updateStatusBar();
        if (m_rangeBar->live())
            refresh();
    });
    m_refreshTimer->start(1000);
    updateStatusBar();
}

void MainWindow::buildMenus()
{
    auto *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Save Config"), QKeySequence::Save, this, &MainWindow::saveConfig);
    connect(m_saver, &ConfigSaver::finished, this, [this](const QString &path, const QString &error) {
        statusBar()->showMessage(error.isEmpty() ? tr("Saved %1").arg(path) : tr("Not saved: %1").arg(error), 10000);
    });
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
    auto *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Refresh"), QKeySequence(tr("Ctrl+R")), this, &MainWindow::refresh);
    view->addAction(tr("&Live"), QKeySequence(Qt::Key_F5), this, [this] { m_rangeBar->select(0); });
}

void MainWindow::saveConfig()
{
    // Secrets are written as <secret>, which would break a config that holds real ones; such a
    // config is the user's own file already, so it is edited there.
    for (const auto &t : m_config.targets) {
        if (t.bearerToken.isSet() || t.basicAuth) {
            statusBar()->showMessage(tr("Not saved: this config holds credentials; edit its file instead."), 10000);
            return;
        }
    }
    m_saver->save(m_config, ConfigSaver::defaultPath());
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

void MainWindow::refresh()
{
    auto *dashboard = currentDashboard();
    if (!dashboard)
        return;
    ++m_generation;
    const auto [start, end] = m_rangeBar->range(QDateTime::currentMSecsSinceEpoch());
    // About one step per two pixels of the widest panel, never finer than a second.
    const int width = std::max(200, m_tabs->width() / 2);
    const std::int64_t step = std::max<std::int64_t>(1000, (end - start) / (width / 2));
    const auto &panels = dashboard->panels();
    for (std::size_t i = 0; i < panels.size(); ++i) {
        // Panels scrolled out of sight are not queried; they catch up when they come back.
        if (panels[i]->visibleRegion().isEmpty() && isVisible())
            continue;
        QueryRequest req;
        req.panelIndex = static_cast<int>(i);
        req.generation = m_generation;
        req.expr = panels[i]->expr();
        req.startMs = start;
        req.endMs = end;
        req.stepMs = step;
        req.compareOffsetMs = m_rangeBar->compareOffsetMs();
        emit queryRequested(req);
    }
}

void MainWindow::onAnswer(const PanelData &data)
{
    if (data.generation != m_generation)
        return; // an answer for a range or dashboard no longer shown
    if (auto *dashboard = currentDashboard())
        dashboard->applyData(data);
}

void MainWindow::onStatus(const TargetStatus &status)
{
    m_services->updateStatus(status);
}

void MainWindow::updateStatusBar()
{
    m_statusTargets->setText(tr("targets up: %1/%2").arg(m_services->upCount()).arg(m_services->rowCount()));
    if (!m_sampleCounter)
        return;
    const std::uint64_t samples = m_sampleCounter();
    const std::int64_t now = QDateTime::currentMSecsSinceEpoch();
    if (m_lastSamplesAtMs > 0 && now > m_lastSamplesAtMs) {
        const double rate = static_cast<double>(samples - m_lastSamples) * 1000.0 /
                            static_cast<double>(now - m_lastSamplesAtMs);
        m_statusRate->setText(tr("ingest: %1 samples/s").arg(rate, 0, 'f', 0));
    }
    m_lastSamples = samples;
    m_lastSamplesAtMs = now;
}

} // namespace pulse
