// MainWindow's menus (every action with its shortcut) and the settings it remembers.
#include "app/pulseboard/main_window.h"

#include "app/services/self_metrics.h"
#include "widgets/alert_notifier.h"
#include "widgets/alerts_panel.h"
#include "widgets/dashboard_view.h"
#include "widgets/log_view.h"
#include "widgets/time_range_bar.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenuBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>

namespace pulse {

void MainWindow::buildMenus()
{
    auto *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Save Config"), QKeySequence::Save, this, &MainWindow::saveConfig);
    file->addAction(tr("&Export Dashboard as CSV…"), QKeySequence(tr("Ctrl+E")), this, [this] {
        const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
        const QString path = QFileDialog::getSaveFileName(this, tr("Export CSV"), dir + QStringLiteral("/pulseboard.csv"),
                                                          tr("CSV files (*.csv)"));
        if (!path.isEmpty())
            exportCsv(path);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);

    auto *dashboardMenu = menuBar()->addMenu(tr("&Dashboard"));
    dashboardMenu->addAction(tr("&Add Panel…"), QKeySequence(tr("Ctrl+Shift+N")), this, [this] {
        if (auto *d = currentDashboard())
            d->editPanel(-1);
    });

    auto *view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Refresh"), QKeySequence(tr("Ctrl+R")), this, &MainWindow::refresh);
    view->addAction(tr("&Live"), QKeySequence(Qt::Key_F5), this, [this] { m_rangeBar->select(0); });
    view->addAction(tr("Search &Logs"), QKeySequence::Find, this, [this] {
        m_logsDock->show();
        m_logsDock->raise();
        m_logView->focusSearch();
    });
    view->addAction(tr("&Alerts"), QKeySequence(tr("Ctrl+Shift+A")), this, [this] {
        if (auto *dock = findChild<QDockWidget *>(QStringLiteral("alertsDock"))) {
            dock->show();
            dock->raise();
            m_alerts->view()->setFocus();
        }
    });
    view->addAction(tr("&Pulseboard Itself"), this, [this] {
        if (const int open = findTab(TabKind::Self, {}); open >= 0) {
            m_tabs->setCurrentIndex(open);
            return;
        }
        addDashboardTab(selfDashboard(), TabKind::Self);
        m_tabs->setCurrentIndex(m_tabs->count() - 1);
    });
    auto *notify = view->addAction(tr("Desktop &Notifications for Alerts"));
    notify->setCheckable(true);
    notify->setChecked(true);
    notify->setObjectName(QStringLiteral("notifyAction"));
    connect(notify, &QAction::toggled, this, [this](bool on) { m_notifier->setEnabled(on); });
    auto *dark = view->addAction(tr("&Dark Theme"));
    dark->setCheckable(true);
    dark->setChecked(m_dark);
    dark->setObjectName(QStringLiteral("darkThemeAction"));
    connect(dark, &QAction::toggled, this, &MainWindow::setDarkTheme);
    view->addSeparator();
    for (auto *dock : findChildren<QDockWidget *>())
        view->addAction(dock->toggleViewAction());
}

void MainWindow::restoreSettings()
{
    const QSettings settings;
    // Defaults for a first start; a saved layout below replaces them.
    resizeDocks({m_logsDock}, {230}, Qt::Vertical);
    if (auto *alertsDock = findChild<QDockWidget *>(QStringLiteral("alertsDock"))) {
        resizeDocks({alertsDock}, {width() * 2 / 5}, Qt::Horizontal);
        alertsDock->setVisible(!alertRules(m_config).empty()); // View → Alerts shows it when rules come later
    }
    resizeDocks({findChild<QDockWidget *>(QStringLiteral("servicesDock"))}, {280}, Qt::Horizontal);
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    const QString open = settings.value(QStringLiteral("window/tab")).toString();
    for (int i = 0; i < m_tabs->count(); ++i)
        if (tabKey(i) == open)
            m_tabs->setCurrentIndex(i);
    // `notify: {desktop: false}` in the config turns them off whatever the menu last said.
    if (!m_config.notify.desktop || !settings.value(QStringLiteral("view/notify"), true).toBool()) {
        if (auto *notify = findChild<QAction *>(QStringLiteral("notifyAction")))
            notify->setChecked(false);
    }
    if (settings.value(QStringLiteral("view/dark"), false).toBool()) {
        if (auto *dark = findChild<QAction *>(QStringLiteral("darkThemeAction")))
            dark->setChecked(true);
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/tab"), tabKey(m_tabs->currentIndex()));
    settings.setValue(QStringLiteral("view/dark"), m_dark);
    settings.setValue(QStringLiteral("view/notify"), m_notifier->isEnabled());
    QMainWindow::closeEvent(event);
}

} // namespace pulse
