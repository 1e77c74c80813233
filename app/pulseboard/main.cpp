// pulseboard: the desktop GUI. With no --config it starts the demo service in-process and watches it.
#include "app/pulseboard/alert_service.h"
#include "app/pulseboard/demo_config.h"
#include "app/pulseboard/event_loop_probe.h"
#include "app/pulseboard/hub.h"
#include "app/pulseboard/main_window.h"
#include "app/pulseboard/query_service.h"
#include "collectors/http_client.h"
#include "collectors/io_runtime.h"
#include "collectors/log_collector.h"
#include "collectors/scheduler.h"
#include "core/log_store.h"
#include "core/config_loader.h"
#include "core/duration.h"
#include "demo/demo_server.h"
#include "widgets/alerts_panel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <malloc.h>

#include <iostream>
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

/// historyPath is storage.path from the config (a leading ~ is the home folder), else the XDG data
/// location: ~/.local/share/pulseboard/history.db.
QString historyPath(const pulse::Config &config)
{
    QString path = QString::fromStdString(config.storage.path);
    if (path.startsWith(QLatin1String("~/")))
        path = QDir::homePath() + path.mid(1);
    if (path.isEmpty())
        path = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
               QStringLiteral("/pulseboard/history.db");
    return path;
}

/// evaluationIntervalMs: rules run as often as the fastest target is scraped, between 1 s and 15 s
/// (Prometheus's default evaluation interval), so an alert never waits long for data it already has.
std::int64_t evaluationIntervalMs(const pulse::Config &config)
{
    std::int64_t interval = 15'000;
    for (const auto &t : config.targets)
        if (t.kind != pulse::TargetKind::Log)
            interval = std::min<std::int64_t>(interval, t.interval.count());
    return std::max<std::int64_t>(1000, interval);
}

} // namespace

int main(int argc, char **argv)
{
    // Batches are allocated on the I/O threads and freed on the writer thread; glibc's default of one
    // arena per thread keeps each thread's freed blocks apart and grows resident memory by a quarter
    // (measured: 350 -> 281 MiB at 200 targets x 1 s). Two arenas suffice for three busy threads.
    mallopt(M_ARENA_MAX, 2);
    pulse::raiseOpenFileLimit();
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
    cli.process(app);

    std::unique_ptr<pulse::demo::DemoServer> demo;
    QTemporaryDir demoLogs;
    auto config = loadConfig(cli.value(QStringLiteral("config")), demo, demoLogs);
    if (!config) {
        std::cerr << config.error();
        return 2;
    }
    auto after = pulse::parseDuration(cli.value(QStringLiteral("after")).toStdString());
    if (!after) {
        std::cerr << "pulseboard: --after: " << after.error().message << "\n";
        return 2;
    }

    pulse::Hub hub;
    pulse::IoRuntime io(2);
    pulse::HttpClient http(io);
    QThread queryThread;
    queryThread.setObjectName(QStringLiteral("query"));
    pulse::LogStore logs;
    pulse::EventLoopProbe loopProbe;
    auto *queries = new pulse::QueryService(60 * 60 * 1000, logs);
    queries->setSelfCounters({[&hub] { return hub.samplesReceived(); },
                              [&http] { return http.droppedIdleConnections(); }, &logs,
                              [&hub] { return hub.samplesWithoutSink(); },
                              [&loopProbe] { return loopProbe.takeMaxLagMs(); }});
    queries->setWriteOptions(config->storage.write);
    // Collectors' batches go straight to the history writer once it is open (never through a thread's
    // event queue); until then to the in-memory history.
    queries->setSinkListener([&hub](std::shared_ptr<pulse::SampleSink> sink) { hub.setSink(std::move(sink)); });
    queries->moveToThread(&queryThread);
    QObject::connect(&queryThread, &QThread::finished, queries, &QObject::deleteLater);
    pulse::SystemClock clock;
    auto *alerts = new pulse::AlertService(*queries, config->alerts, clock);
    alerts->moveToThread(&queryThread);
    QObject::connect(&queryThread, &QThread::finished, alerts, &QObject::deleteLater);
    queryThread.start();

    pulse::MainWindow window(*config);
    window.setConfigPath(cli.value(QStringLiteral("config")));
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
    // The history file is opened on the query thread: no disk I/O on the GUI thread.
    QMetaObject::invokeMethod(queries, [queries, path = historyPath(*config), r = config->storage.retention] {
        queries->openStore(path, r.raw.count(), r.m1.count(), r.h1.count());
    }, Qt::QueuedConnection);
    // Pulseboard's own pulse_* series (job="pulseboard"), every 5 s, like Prometheus's self-scrape.
    QMetaObject::invokeMethod(queries, [queries] { queries->startSelfMetrics(5000); }, Qt::QueuedConnection);
    // Silences and acknowledgements are kept beside the history (read and written on the query thread).
    const QString silencesPath = QFileInfo(historyPath(*config)).absolutePath() + QStringLiteral("/silences.json");
    QMetaObject::invokeMethod(alerts, [alerts, silencesPath, interval = evaluationIntervalMs(*config)] {
        alerts->start(interval, silencesPath);
    }, Qt::QueuedConnection);

    pulse::Scheduler scheduler(io, http, hub, clock);
    scheduler.setStatusCallback([&hub](const pulse::TargetStatus &s) { hub.publishStatus(s); });
    scheduler.setTargets(config->targets);
    pulse::LogCollector logCollector(io, logs, clock);
    logCollector.setStatusCallback([&hub](const pulse::TargetStatus &s) { hub.publishStatus(s); });
    logCollector.start(config->targets);

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
    scheduler.stop();
    logCollector.stop();
    io.stop();
    hub.setSink(nullptr);
    QMetaObject::invokeMethod(queries, &pulse::QueryService::closeStore, Qt::BlockingQueuedConnection);
    queryThread.quit();
    queryThread.wait();
    return rc;
}
