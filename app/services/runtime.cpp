// Runtime: the composition of collectors, history, rules and self-metrics (see runtime.h).
#include "app/services/runtime.h"

#include "app/services/alert_service.h"
#include "app/services/event_loop_probe.h"
#include "app/services/hub.h"
#include "app/services/notification_service.h"
#include "app/services/query_service.h"
#include "collectors/http_client.h"
#include "collectors/io_runtime.h"
#include "collectors/log_collector.h"
#include "collectors/scheduler.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <malloc.h>

#include <algorithm>

namespace pulse {

Runtime::Runtime(Config config)
    : m_config(std::move(config)), m_hub(std::make_unique<Hub>()), m_io(std::make_unique<IoRuntime>(IoRuntime::defaultThreads())),
      m_http(std::make_unique<HttpClient>(*m_io)), m_loopProbe(std::make_unique<EventLoopProbe>())
{
    m_queryThread.setObjectName(QStringLiteral("query"));
    m_queries = new QueryService(60 * 60 * 1000, m_logs);
    m_queries->setSelfCounters({[hub = m_hub.get()] { return hub->samplesReceived(); },
                                [http = m_http.get()] { return http->droppedIdleConnections(); }, &m_logs,
                                [hub = m_hub.get()] { return hub->samplesWithoutSink(); },
                                [probe = m_loopProbe.get()] { return probe->takeMaxLagMs(); },
                                [hub = m_hub.get()] { return hub->duplicateSamples(); },
                                [hub = m_hub.get()] { return hub->futureSamples(); },
                                // Called on the query thread, where the NotificationService lives.
                                [this] { return m_notifications ? m_notifications->figures() : NotificationFigures{}; }});
    m_queries->setWriteOptions(m_config.storage.write);
    m_queries->setLogRetention(m_config.logs);
    // Collectors' batches go straight to the history writer once it is open (never through a thread's
    // event queue); until then the Hub holds them.
    m_queries->setSinkListener([hub = m_hub.get()](std::shared_ptr<SampleSink> sink) { hub->setSink(std::move(sink)); });
    // Log targets start once the history has opened (or could not be): they resume from the positions
    // stored with the records they read last. Called on the query thread.
    m_queries->setLogListener([this](std::shared_ptr<LogSink> file, const std::vector<LogCheckpoint> &saved) {
        m_logRoute.setFile(std::move(file));
        if (!m_logsStarted.exchange(true))
            m_logCollector->start(m_config.targets, saved);
    });
    m_queries->moveToThread(&m_queryThread);
    QObject::connect(&m_queryThread, &QThread::finished, m_queries, &QObject::deleteLater);
    m_alerts = new AlertService(*m_queries, alertRules(m_config), m_clock);
    m_alerts->setRecordingRules(recordingRules(m_config));
    m_alerts->moveToThread(&m_queryThread);
    QObject::connect(&m_queryThread, &QThread::finished, m_alerts, &QObject::deleteLater);
    m_notifications = new NotificationService(m_config, *m_http, m_clock);
    m_notifications->moveToThread(&m_queryThread);
    QObject::connect(&m_queryThread, &QThread::finished, m_notifications, &QObject::deleteLater);
    QObject::connect(m_alerts, &AlertService::updated, m_notifications, &NotificationService::onAlerts);
    m_queryThread.start();

    m_scheduler = std::make_unique<Scheduler>(*m_io, *m_http, *m_hub, m_clock);
    m_scheduler->setStatusCallback([hub = m_hub.get()](const TargetStatus &s) { hub->publishStatus(s); });
    // Its own thread: file I/O off the I/O pool. Lines counted as series go where scrapes go.
    m_logCollector = std::make_unique<LogCollector>(m_logRoute, m_clock, m_hub.get());
    m_logCollector->setStatusCallback([hub = m_hub.get()](const TargetStatus &s) { hub->publishStatus(s); });
}

Runtime::~Runtime()
{
    stop();
}

void Runtime::start(const QString &historyPath)
{
    if (m_started)
        return;
    m_started = true;
    // The history file is opened on the query thread: no disk I/O on the GUI thread.
    QMetaObject::invokeMethod(m_queries, [queries = m_queries, historyPath, r = m_config.storage.retention] {
        queries->openStore(historyPath, r.raw.count(), r.m1.count(), r.h1.count());
    }, Qt::QueuedConnection);
    // Pulseboard's own pulse_* series (job="pulseboard"), every 5 s, like Prometheus's self-scrape.
    QMetaObject::invokeMethod(m_queries, [queries = m_queries] { queries->startSelfMetrics(5000); },
                              Qt::QueuedConnection);
    // Silences and acknowledgements are kept beside the history (read and written on the query thread).
    const QString silences = QFileInfo(historyPath).absolutePath() + QStringLiteral("/silences.json");
    QMetaObject::invokeMethod(m_alerts, [alerts = m_alerts, silences, interval = evaluationIntervalMs(m_config)] {
        alerts->start(interval, silences);
    }, Qt::QueuedConnection);
    // Notifications wait for delivery in notifications.db beside the history (NotificationOutbox).
    const QString outbox = QFileInfo(historyPath).absolutePath() + QStringLiteral("/notifications.db");
    QMetaObject::invokeMethod(m_notifications, [notifications = m_notifications, outbox] { notifications->start(outbox); },
                              Qt::QueuedConnection);
    m_scheduler->setTargets(m_config.targets);
}

std::string Runtime::stop()
{
    if (m_stopped)
        return {};
    m_stopped = true;
    // Collectors first, so nothing new arrives; then the writer drains what it holds and commits.
    // The Hub keeps its sink: batches it still holds for a writer that is opening go to that writer
    // when closeStore installs it, and closeStore detaches the sink itself.
    m_scheduler->stop();
    m_logsStarted = true; // a history that opens from now on starts no tailers
    m_logCollector->stop();
    m_io->stop();
    std::string error;
    if (m_queryThread.isRunning()) {
        QMetaObject::invokeMethod(m_queries, &QueryService::closeStore, Qt::BlockingQueuedConnection);
        error = m_queries->closeError();
        m_queryThread.quit();
        m_queryThread.wait();
    }
    return error;
}

std::uint64_t Runtime::prepareProcess()
{
    // Batches are allocated on the I/O threads and freed on the writer thread; glibc's default of one
    // arena per thread keeps each thread's freed blocks apart and grows resident memory by a quarter
    // (measured: 350 -> 281 MiB at 200 targets x 1 s). Two arenas suffice for three busy threads.
    mallopt(M_ARENA_MAX, 2);
    return raiseOpenFileLimit();
}

std::string Runtime::openFileLimitWarning(const Config &config, std::uint64_t softLimit)
{
    constexpr std::uint64_t kOwnFiles = 64; // history file, WAL, shm, readers, Qt, the resolver's sockets
    std::uint64_t need = kOwnFiles;
    for (const TargetConfig &t : config.targets)
        need += usesHttp(t.kind()) ? 2 : (t.kind() == TargetKind::Tcp || t.kind() == TargetKind::Log) ? 1 : 0;
    if (softLimit == 0 || need <= softLimit)
        return {};
    return "the open-file limit is " + std::to_string(softLimit) + ", but these " +
           std::to_string(config.targets.size()) + " targets may need about " + std::to_string(need) +
           " at once: raise it (ulimit -n, or LimitNOFILE= in a systemd unit); until then some scrapes fail with "
           "\"Too many open files\"";
}

QString Runtime::historyPathFor(const Config &config)
{
    QString path = QString::fromStdString(config.storage.path);
    if (path.startsWith(QLatin1String("~/")))
        path = QDir::homePath() + path.mid(1);
    if (path.isEmpty())
        path = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
               QStringLiteral("/pulseboard/history.db");
    return path;
}

std::int64_t Runtime::evaluationIntervalMs(const Config &config)
{
    std::int64_t interval = 15'000;
    for (const auto &t : config.targets)
        if (t.kind() != TargetKind::Log)
            interval = std::min<std::int64_t>(interval, t.interval.count());
    return std::max<std::int64_t>(1000, interval);
}

} // namespace pulse
