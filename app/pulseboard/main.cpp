// pulseboard: the desktop GUI. With no --config it starts the demo service in-process and watches it.
#include "app/pulseboard/main_window.h"
#include "app/services/alert_service.h"
#include "app/services/demo_config.h"
#include "app/services/hub.h"
#include "app/services/query_service.h"
#include "app/services/runtime.h"
#include "core/base/duration.h"
#include "core/config/config_loader.h"
#include "demo/demo_server.h"
#include "widgets/alerts_panel.h"
#include "widgets/time_range_bar.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QTemporaryDir>
#include <QTimer>

#include <iostream>
#include <limits>
#include <memory>

namespace {

/// loadOrDemo returns the config to run and, for the demo, the server that it watches.
std::expected<pulse::Config, std::string> loadConfig(const QString &path,
                                                     std::unique_ptr<pulse::demo::DemoServer> &demo,
                                                     QTemporaryDir &logDir)
{
    if (!path.isEmpty()) {
        auto cfg = pulse::loadConfigFile(path.toStdString());
        if (cfg)
            return *cfg;
        std::string all;
        for (const auto &d : cfg.error())
            all += pulse::formatDiagnostic(d) + "\n";
        return std::unexpected(all);
    }
    pulse::demo::DemoServerOptions options;
    options.simulation.seed = static_cast<std::uint64_t>(QDateTime::currentMSecsSinceEpoch());
    // An incident every two minutes: someone trying Pulseboard sees an alert fire, its band on the
    // charts and the logs of that moment without waiting long.
    options.simulation.incidentEveryMs = 2 * 60 * 1000;
    if (logDir.isValid()) {
        options.accessLogPath = logDir.filePath(QStringLiteral("access.log")).toStdString();
        options.appLogPath = logDir.filePath(QStringLiteral("app.log")).toStdString();
    }
    demo = std::make_unique<pulse::demo::DemoServer>(options);
    auto address = demo->start();
    if (!address)
        return std::unexpected("cannot start the built-in demo: " + address.error().message + "\n");
    auto cfg = pulse::loadConfig(pulse::demoConfigYaml(*address, options.accessLogPath, options.appLogPath),
                                 "<built-in demo config>");
    if (!cfg)
        return std::unexpected("built-in demo config is invalid: " + pulse::formatDiagnostic(cfg.error().front()));
    return *cfg;
}

} // namespace

int main(int argc, char **argv)
{
    const std::uint64_t fileLimit = pulse::Runtime::prepareProcess();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("pulseboard"));
    QApplication::setOrganizationName(QStringLiteral("pulseboard"));
    pulse::registerMetaTypes();

    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Pulseboard: a desktop dashboard for your services. "
                                                 "Without --config it watches a built-in demo service."));
    cli.addHelpOption();
    cli.addOption({QStringLiteral("config"), QStringLiteral("Config file (YAML)."), QStringLiteral("FILE")});
    cli.addOption({QStringLiteral("screenshot"), QStringLiteral("Save a PNG of the window and exit."),
                   QStringLiteral("OUT.png")});
    cli.addOption({QStringLiteral("after"), QStringLiteral("Wait this long before the screenshot (default 8s)."),
                   QStringLiteral("DURATION"), QStringLiteral("8s")});
    cli.addOption({QStringLiteral("range"),
                   QStringLiteral("Open with this time range: Live (default), 5m, 15m, 1h, 6h, 24h, 7d or 30d."),
                   QStringLiteral("SPAN"), QStringLiteral("Live")});
    cli.process(app);
    const QString range = cli.value(QStringLiteral("range"));
    if (pulse::TimeRangeBar::spanIndex(range) < 0) {
        std::cerr << "pulseboard: --range: unknown span '" << range.toStdString() << "'; expected one of "
                  << pulse::TimeRangeBar::spanLabels().toStdString() << "\n";
        return 2;
    }

    std::unique_ptr<pulse::demo::DemoServer> demo;
    QTemporaryDir demoLogs;
    auto config = loadConfig(cli.value(QStringLiteral("config")), demo, demoLogs);
    if (!config) {
        std::cerr << config.error();
        return 2;
    }
    auto after = pulse::parseDuration(cli.value(QStringLiteral("after")).toStdString());
    if (!after || after->count() > std::numeric_limits<int>::max()) {
        std::cerr << "pulseboard: --after: "
                  << (after ? std::string("at most 24 days (a timer counts milliseconds in an int)") : after.error().message)
                  << "\n";
        return 2;
    }

    pulse::Runtime runtime(*config);
    pulse::Hub &hub = runtime.hub();
    pulse::QueryService *queries = &runtime.queries();
    pulse::AlertService *alerts = &runtime.alerts();

    pulse::MainWindow window(*config);
    window.setConfigPath(cli.value(QStringLiteral("config")));
    if (const std::string warning = pulse::Runtime::openFileLimitWarning(*config, fileLimit); !warning.empty()) {
        std::cerr << "pulseboard: " << warning << "\n";
        window.showStartupWarning(QString::fromStdString(warning));
    }
    window.setSampleCounter([&hub] { return hub.samplesReceived(); });
    window.setStatusSource([&hub] { return hub.takeStatuses(); });
    QObject::connect(&hub, &pulse::Hub::statusesPending, &window, &pulse::MainWindow::onStatusesPending,
                     Qt::QueuedConnection);
    QObject::connect(&window, &pulse::MainWindow::queryRequested, queries, &pulse::QueryService::query);
    QObject::connect(queries, &pulse::QueryService::answered, &window, &pulse::MainWindow::onAnswer);
    QObject::connect(&window, &pulse::MainWindow::uptimeRequested, queries, &pulse::QueryService::computeUptime);
    QObject::connect(queries, &pulse::QueryService::uptimeReady, &window, &pulse::MainWindow::onUptime);
    QObject::connect(&window, &pulse::MainWindow::logQueryRequested, queries, &pulse::QueryService::queryLogs);
    QObject::connect(queries, &pulse::QueryService::logsAnswered, &window, &pulse::MainWindow::onLogs);
    QObject::connect(&window, &pulse::MainWindow::storeStatusRequested, queries, &pulse::QueryService::reportStatus);
    QObject::connect(queries, &pulse::QueryService::storeStatus, &window, &pulse::MainWindow::onStoreStatus);
    QObject::connect(alerts, &pulse::AlertService::updated, &window, &pulse::MainWindow::onAlerts);
    auto *alertsPanel = window.alertsPanel();
    QObject::connect(alertsPanel, &pulse::AlertsPanel::acknowledgeRequested, alerts, &pulse::AlertService::setAcknowledged);
    QObject::connect(alertsPanel, &pulse::AlertsPanel::silenceRequested, alerts, &pulse::AlertService::addSilence);
    QObject::connect(alertsPanel, &pulse::AlertsPanel::expireRequested, alerts, &pulse::AlertService::expireSilence);
    QObject::connect(alerts, &pulse::AlertService::silenceRejected, &window,
                     [&window](const QString &error) { window.alertsPanel()->setError(error); });
    runtime.start(pulse::Runtime::historyPathFor(*config));
    window.selectRange(range); // after start: its refresh should find the history open

    window.show();
    const QString shot = cli.value(QStringLiteral("screenshot"));
    if (!shot.isEmpty()) {
        QTimer::singleShot(static_cast<int>(after->count()), &window, [&window, shot] {
            window.refresh();
            // Give the query thread a moment to answer the final refresh before grabbing.
            QTimer::singleShot(500, &window, [&window, shot] {
                if (!window.grab().save(shot)) {
                    std::cerr << "pulseboard: cannot write screenshot " << shot.toStdString() << "\n";
                    QApplication::exit(1);
                    return;
                }
                std::cout << shot.toStdString() << "\n";
                QApplication::exit(0);
            });
        });
    }
    const int rc = QApplication::exec();
    if (const std::string error = runtime.stop(); !error.empty()) {
        std::cerr << "pulseboard: the last samples could not be stored: " << error << "\n";
        return rc == 0 ? 1 : rc;
    }
    return rc;
}
