// Runtime: what Pulseboard runs with or without a window — collectors, the history file and its
// writer, log tailing, alert rules and self-metrics — composed once for `pulseboard` (which adds the
// window on top) and for the headless `pulsectl run`.
//
//   constructed ──start(historyPath)──> running ──stop()──> stopped
//   (query thread up, nothing     (history opening, collectors      (collectors cancelled, the
//    scraped yet: connect the      scraping, rules evaluating)       writer drained and committed,
//    services' signals now)                                          query thread joined)
#pragma once

#include "core/base/clock.h"
#include "core/config/config.h"
#include "app/services/log_route.h"
#include "core/logs/log_store.h"

#include <QString>
#include <QThread>

#include <atomic>
#include <memory>
#include <string>

namespace pulse {

class AlertService;
class EventLoopProbe;
class HttpClient;
class Hub;
class IoRuntime;
class LogCollector;
class NotificationService;
class QueryService;
class Scheduler;

/// Runtime owns every service of a running Pulseboard. QueryService and AlertService live on the
/// runtime's query thread; the collectors on the I/O pool.
///
/// Threading: construct, start and stop on the thread that owns the event loop (the GUI thread, or
/// `pulsectl run`'s main thread). The services' signals may be connected between construction and
/// start(); everything they report before start() is nothing.
class Runtime {
public:
    /// The config must stay the same for the runtime's life (it is copied).
    explicit Runtime(Config config);
    ~Runtime();
    Runtime(const Runtime &) = delete;
    Runtime &operator=(const Runtime &) = delete;

    /// start opens the history at historyPath (on the query thread), begins self-metrics and rule
    /// evaluation (silences and acknowledgements in silences.json beside the history), and starts
    /// scraping and tailing.
    void start(const QString &historyPath);
    /// stop cancels every collector, drains and commits the writer, and joins the query thread.
    /// Returns why the last commit failed (empty: everything accepted was stored). Safe to call twice;
    /// the destructor calls it.
    std::string stop();

    Hub &hub() { return *m_hub; }
    QueryService &queries() { return *m_queries; }
    AlertService &alerts() { return *m_alerts; }
    NotificationService &notifications() { return *m_notifications; }
    HttpClient &http() { return *m_http; }
    const Config &config() const { return m_config; }

    /// prepareProcess sets what the process needs before any thread starts: two malloc arenas and the
    /// open-file limit raised to the hard limit. Call first thing in main().
    /// Returns the soft open-file limit now in force (0 when unknown).
    static std::uint64_t prepareProcess();
    /// openFileLimitWarning is empty, or says why `softLimit` open files are too few for what this
    /// config's targets may hold at once (each HTTP-kind target a pooled connection and one in
    /// flight, each port check and log file one, and the process's own: history file, WAL, Qt).
    static std::string openFileLimitWarning(const Config &config, std::uint64_t softLimit);
    /// historyPathFor is storage.path (a leading ~ is the home folder), else the XDG data location:
    /// ~/.local/share/pulseboard/history.db.
    static QString historyPathFor(const Config &config);
    /// evaluationIntervalMs: rules run as often as the fastest target is scraped, between 1 s and 15 s
    /// (Prometheus's default evaluation interval), so an alert never waits long for data it has.
    static std::int64_t evaluationIntervalMs(const Config &config);

private:
    Config m_config;
    SystemClock m_clock;
    LogStore m_logs;
    LogRoute m_logRoute{m_logs}; ///< where tailers' records go: the history file, or m_logs
    std::unique_ptr<Hub> m_hub;
    std::unique_ptr<IoRuntime> m_io;
    std::unique_ptr<HttpClient> m_http;
    std::unique_ptr<EventLoopProbe> m_loopProbe;
    QThread m_queryThread;
    QueryService *m_queries = nullptr; ///< owned by the query thread (deleteLater when it finishes)
    AlertService *m_alerts = nullptr;  ///< likewise
    NotificationService *m_notifications = nullptr; ///< likewise
    std::unique_ptr<Scheduler> m_scheduler;
    std::unique_ptr<LogCollector> m_logCollector;
    bool m_started = false;
    bool m_stopped = false;
    std::atomic<bool> m_logsStarted{false}; ///< the log collector was started (on the query thread)
};

} // namespace pulse
