// App: config or demo, Runtime and MainWindow, wired (see app.h).
#include "app/pulseboard/app.h"

#include "app/pulseboard/main_window.h"
#include "app/services/alert_service.h"
#include "app/services/demo_config.h"
#include "app/services/hub.h"
#include "app/services/query_service.h"
#include "app/services/runtime.h"
#include "core/config/config_loader.h"
#include "demo/demo_server.h"
#include "widgets/alerts_panel.h"

#include <QApplication>
#include <QDateTime>
#include <QTimer>

#include <iostream>

namespace pulse {

namespace {

/// startDemo starts the built-in demo service (its logs in `logDir`) and returns the config that
/// watches it.
std::expected<Config, std::string> startDemo(std::unique_ptr<demo::DemoServer> &server, const QTemporaryDir &logDir)
{
    demo::DemoServerOptions options;
    options.simulation.seed = static_cast<std::uint64_t>(QDateTime::currentMSecsSinceEpoch());
    // An incident every two minutes: someone trying Pulseboard sees an alert fire, its band on the
    // charts and the logs of that moment without waiting long.
    options.simulation.incidentEveryMs = 2 * 60 * 1000;
    if (logDir.isValid()) {
        options.accessLogPath = logDir.filePath(QStringLiteral("access.log")).toStdString();
        options.appLogPath = logDir.filePath(QStringLiteral("app.log")).toStdString();
    }
    server = std::make_unique<demo::DemoServer>(options);
    auto address = server->start();
    if (!address)
        return std::unexpected("cannot start the built-in demo: " + address.error().message + "\n");
    auto config =
        loadConfig(demoConfigYaml(*address, options.accessLogPath, options.appLogPath), "<built-in demo config>");
    if (!config)
        return std::unexpected("built-in demo config is invalid: " + formatDiagnostic(config.error().front()));
    return *config;
}

std::expected<Config, std::string> loadFile(const QString &path)
{
    auto config = loadConfigFile(path.toStdString());
    if (config)
        return *config;
    std::string all;
    for (const auto &d : config.error())
        all += formatDiagnostic(d) + "\n";
    return std::unexpected(all);
}

} // namespace

std::expected<std::unique_ptr<App>, std::string> App::create(const Options &options)
{
    std::unique_ptr<App> app(new App);
    app->m_options = options;
    auto config = options.configPath.isEmpty() ? startDemo(app->m_demo, app->m_demoLogs) : loadFile(options.configPath);
    if (!config)
        return std::unexpected(config.error());
    app->m_config = std::move(*config);
    app->m_runtime = std::make_unique<Runtime>(app->m_config);
    app->m_window = std::make_unique<MainWindow>(app->m_config);
    app->m_window->setConfigPath(options.configPath);
    if (const std::string warning = Runtime::openFileLimitWarning(app->m_config, options.openFileLimit);
        !warning.empty()) {
        std::cerr << "pulseboard: " << warning << "\n";
        app->m_window->showStartupWarning(QString::fromStdString(warning));
    }
    app->wire();
    return app;
}

App::~App() = default;

void App::wire()
{
    MainWindow *window = m_window.get();
    Hub &hub = m_runtime->hub();
    QueryService *queries = &m_runtime->queries();
    AlertService *alerts = &m_runtime->alerts();
    window->setSampleCounter([&hub] { return hub.samplesReceived(); });
    window->setStatusSource([&hub] { return hub.takeStatuses(); });
    QObject::connect(&hub, &Hub::statusesPending, window, &MainWindow::onStatusesPending, Qt::QueuedConnection);
    QObject::connect(window, &MainWindow::queryRequested, queries, &QueryService::query);
    QObject::connect(queries, &QueryService::answered, window, &MainWindow::onAnswer);
    QObject::connect(window, &MainWindow::uptimeRequested, queries, &QueryService::computeUptime);
    QObject::connect(queries, &QueryService::uptimeReady, window, &MainWindow::onUptime);
    QObject::connect(window, &MainWindow::logQueryRequested, queries, &QueryService::queryLogs);
    QObject::connect(queries, &QueryService::logsAnswered, window, &MainWindow::onLogs);
    QObject::connect(window, &MainWindow::storeStatusRequested, queries, &QueryService::reportStatus);
    QObject::connect(queries, &QueryService::storeStatus, window, &MainWindow::onStoreStatus);
    QObject::connect(alerts, &AlertService::updated, window, &MainWindow::onAlerts);
    QObject::connect(&m_runtime->notifications(), &NotificationService::statusChanged, window,
                     &MainWindow::onNotificationStatus);
    AlertsPanel *panel = window->alertsPanel();
    QObject::connect(panel, &AlertsPanel::acknowledgeRequested, alerts, &AlertService::setAcknowledged);
    QObject::connect(panel, &AlertsPanel::silenceRequested, alerts, &AlertService::addSilence);
    QObject::connect(panel, &AlertsPanel::expireRequested, alerts, &AlertService::expireSilence);
    QObject::connect(alerts, &AlertService::silenceRejected, window,
                     [panel](const QString &error) { panel->setError(error); });
}

void App::start()
{
    m_runtime->start(Runtime::historyPathFor(m_config));
    m_window->selectRange(m_options.range); // after start: its refresh should find the history open
    m_window->show();
    if (!m_options.screenshot.isEmpty())
        scheduleScreenshot();
}

void App::scheduleScreenshot()
{
    MainWindow *window = m_window.get();
    const QString shot = m_options.screenshot;
    QTimer::singleShot(m_options.screenshotAfterMs, window, [window, shot] {
        window->refresh();
        // Give the query thread a moment to answer the final refresh before grabbing.
        QTimer::singleShot(500, window, [window, shot] {
            if (!window->grab().save(shot)) {
                std::cerr << "pulseboard: cannot write screenshot " << shot.toStdString() << "\n";
                QApplication::exit(1);
                return;
            }
            std::cout << shot.toStdString() << "\n";
            QApplication::exit(0);
        });
    });
}

int App::stop(int eventLoopStatus)
{
    if (const std::string error = m_runtime->stop(); !error.empty()) {
        std::cerr << "pulseboard: the last samples could not be stored: " << error << "\n";
        return eventLoopStatus == 0 ? 1 : eventLoopStatus;
    }
    return eventLoopStatus;
}

} // namespace pulse
