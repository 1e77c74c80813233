// pulsectl run: Pulseboard without a window — the same Runtime as the GUI (collectors, history writer,
// log tailing, alert rules, self-metrics), an event loop on QCoreApplication, logfmt on stderr.
//
//   start ──config loaded──> running ──SIGTERM / SIGINT / --for elapsed──> stopping ──> stopped (exit 0)
//                               │
//                               └── history file unusable (held by another writer, not ours, …) ──> exit 1
//   (a failed last commit at the stop also exits 1: what was accepted did not all reach the file)
#include "app/pulsectl/command.h"
#include "app/pulsectl/run_log.h"
#include "app/services/alert_service.h"
#include "app/services/notification_service.h"
#include "app/services/hub.h"
#include "app/services/query_service.h"
#include "app/services/runtime.h"
#include "core/base/duration.h"
#include "core/config/config_loader.h"
#include "storage/store_lock.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <csignal>
#include <limits>
#include <map>
#include <optional>
#include <ostream>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace pulse::cli {
namespace {

constexpr const char *kUsage =
    "usage: pulsectl run --config FILE [--for DURATION]\n"
    "\n"
    "Run Pulseboard without a window: scrape and check every target, tail the logs, store everything\n"
    "in the history file (storage.path), evaluate the alert rules and record Pulseboard's own\n"
    "pulse_* series. Logs one logfmt line per event on stderr (start, config loaded, target state\n"
    "changes, alert transitions, history problems, stop); never a secret.\n"
    "SIGTERM, SIGINT or SIGHUP stop it cleanly: scrapes are cancelled and the writer commits what it\n"
    "holds (SIGHUP does not reload the config yet).\n"
    "A second Pulseboard on the same history file is refused, naming the pid that holds it.\n"
    "\n"
    "options:\n"
    "  --config FILE     the config file (YAML; see docs/config.md)\n"
    "  --for DURATION    stop after this long (e.g. 90s, 10m); default: until a signal\n"
    "  -h, --help        show this help\n"
    "\n"
    "exit: 0 stopped cleanly, 1 the history file could not be used (or its last commit failed),\n"
    "      2 bad arguments or config\n";

// The write end of the self-pipe: a signal handler may only write a byte; the event loop reads it.
int g_signalPipe[2] = {-1, -1};

void onSignal(int signal)
{
    const int savedErrno = errno; // the interrupted code may be about to read it
    const auto byte = static_cast<unsigned char>(signal);
    [[maybe_unused]] const ssize_t n = ::write(g_signalPipe[1], &byte, 1);
    errno = savedErrno;
}

/// RunObserver turns what the runtime reports into log lines, on the main thread.
class RunObserver {
public:
    RunObserver(RunLog &log, Runtime &runtime) : m_log(log), m_runtime(runtime) {}

    /// takeStatuses logs every target whose health changed since it last reported.
    void takeStatuses()
    {
        for (const TargetStatus &s : m_runtime.hub().takeStatuses()) {
            auto [it, inserted] = m_health.try_emplace(s.name, TargetHealth::Unknown);
            if (!inserted && it->second == s.health)
                continue;
            it->second = s.health;
            if (s.health == TargetHealth::Up)
                m_log.info("target state", {{"target", s.name}, {"kind", s.kind}, {"state", healthName(s.health)},
                                            {"samples", std::to_string(s.samplesLastRun)}});
            else
                m_log.warn("target state", {{"target", s.name}, {"kind", s.kind}, {"state", healthName(s.health)},
                                            {"error", s.lastError}});
        }
    }

    void alertsUpdated(const AlertSnapshot &snapshot)
    {
        for (const AlertTransition &t : snapshot.transitions)
            m_log.info("alert", {{"alertname", t.alert.rule}, {"state", std::string(alertStateName(t.alert.state))},
                                 {"from", std::string(alertStateName(t.from))}, {"severity", t.alert.severity},
                                 {"labels", t.alert.labels.toString()}});
        for (const RuleHealth &h : snapshot.health) {
            std::string &last = m_ruleErrors[h.rule];
            if (last == h.error)
                continue;
            last = h.error;
            if (h.error.empty())
                m_log.info("rule ok", {{"rule", h.rule}});
            else
                m_log.warn("rule failed", {{"rule", h.rule}, {"error", h.error}});
        }
        const std::string error = snapshot.error.toStdString();
        if (error != m_alertsError) {
            m_alertsError = error;
            if (!error.empty())
                m_log.warn("alerts", {{"error", error}});
        }
    }

    /// notificationStatus logs deliveries (how many a receiver got since the last line) and an
    /// outbox that cannot keep notifications.
    void notificationStatus(const NotificationStatus &status)
    {
        for (const ReceiverStatus &r : status.receivers) {
            std::uint64_t &logged = m_notificationsSent[r.name];
            if (r.sent > logged)
                m_log.info("notifications sent", {{"receiver", r.name}, {"count", std::to_string(r.sent - logged)},
                                                   {"waiting", std::to_string(r.waiting)}});
            logged = r.sent;
        }
        const std::string error = status.error.toStdString();
        if (error != m_notifyError) {
            m_notifyError = error;
            if (!error.empty())
                m_log.warn("notifications", {{"error", error}});
        }
    }

    /// storeStatus logs the history file's state changes; returns false when the file cannot be used.
    bool storeStatus(const StoreStatus &status)
    {
        const std::string error = status.error.toStdString();
        if (status.open && !m_open) {
            m_open = true;
            m_log.info("history open", {{"path", status.path.toStdString()}});
            if (status.quarantinedSeries > 0)
                m_log.warn("damaged series set aside",
                           {{"path", status.path.toStdString()},
                            {"series", std::to_string(status.quarantinedSeries)},
                            {"detail", "their label sets do not decode; the rest of the history is open"}});
        }
        if (error != m_storeError) {
            m_storeError = error;
            if (!error.empty())
                m_log.error(status.open || status.opening ? "history write failed" : "history unavailable",
                            {{"path", status.path.toStdString()}, {"error", error}});
            else if (status.open)
                m_log.info("history writable again", {{"path", status.path.toStdString()}});
        }
        if (status.droppedSamples > m_dropped) {
            m_log.warn("samples dropped", {{"total", std::to_string(status.droppedSamples)},
                                           {"since_last", std::to_string(status.droppedSamples - m_dropped)}});
            m_dropped = status.droppedSamples;
        }
        return status.open || status.opening || error.empty();
    }

private:
    RunLog &m_log;
    Runtime &m_runtime;
    std::map<std::string, TargetHealth> m_health;
    std::map<std::string, std::string> m_ruleErrors;
    std::string m_alertsError;
    std::string m_notifyError;
    std::map<std::string, std::uint64_t> m_notificationsSent;
    std::string m_storeError;
    bool m_open = false;
    quint64 m_dropped = 0;
};

/// stopOnSignals makes SIGTERM and SIGINT quit the event loop (through a self-pipe), logging which.
bool stopOnSignals(RunLog &log, QObject *context)
{
    if (::pipe2(g_signalPipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return false;
    auto *notifier = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, context);
    QObject::connect(notifier, &QSocketNotifier::activated, context, [&log] {
        unsigned char byte = 0;
        while (::read(g_signalPipe[0], &byte, 1) == 1)
            log.info("signal received, stopping",
                     {{"signal", byte == SIGTERM ? "SIGTERM" : byte == SIGHUP ? "SIGHUP (no reload yet)" : "SIGINT"}});
        QCoreApplication::quit();
    });
    struct sigaction action {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    // A closed terminal or SSH session sends SIGHUP: stop as cleanly as for SIGTERM, not half-written.
    sigaction(SIGHUP, &action, nullptr);
    return true;
}

} // namespace

namespace {

/// RunOptions is what `pulsectl run` was asked to do.
struct RunOptions {
    std::string configPath;
    std::optional<std::int64_t> forMs;
};

/// parseRunOptions reads the command line; nullopt with `exitCode` set when it should exit now
/// (--help, or a usage error already written to `err`).
std::optional<RunOptions> parseRunOptions(Args args, std::ostream &out, std::ostream &err, int &exitCode)
{
    RunOptions options;
    bool haveConfig = false;
    // --opt=value is split into two words, as most command lines accept both.
    std::vector<std::string> words;
    for (const std::string &arg : args) {
        const std::size_t eq = arg.find('=');
        if (arg.starts_with("--") && eq != std::string::npos) {
            words.push_back(arg.substr(0, eq));
            words.push_back(arg.substr(eq + 1));
        } else {
            words.push_back(arg);
        }
    }
    args = Args(words);
    exitCode = kExitUsage;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a == "--help" || a == "-h") {
            out << kUsage;
            exitCode = kExitOk;
            return std::nullopt;
        }
        if ((a == "--config" || a == "--for") && i + 1 >= args.size()) {
            err << "pulsectl run: " << a << " needs a value\n\n" << kUsage;
            return std::nullopt;
        }
        if (a == "--config") {
            options.configPath = args[++i];
            haveConfig = true;
        } else if (a == "--for") {
            auto d = parseDuration(args[++i]);
            if (!d || d->count() <= 0 || d->count() > std::numeric_limits<int>::max()) {
                err << "pulsectl run: --for wants a positive duration of at most 24 days such as 90s, got '"
                    << args[i] << "' (without --for it runs until SIGTERM or SIGINT)\n";
                return std::nullopt;
            }
            options.forMs = d->count();
        } else {
            err << "pulsectl run: unknown option " << a << "\n\n" << kUsage;
            return std::nullopt;
        }
    }
    if (!haveConfig) {
        err << "pulsectl run: --config FILE is required\n\n" << kUsage;
        return std::nullopt;
    }
    return options;
}

/// announce logs what is about to run and refuses a history file another Pulseboard writes; false
/// when the run cannot store anything.
bool announce(RunLog &log, const Config &config, const std::string &configPath, std::uint64_t fileLimit,
              const QString &historyPath)
{
    log.info("starting", {{"pid", std::to_string(getpid())}});
    if (const std::string warning = Runtime::openFileLimitWarning(config, fileLimit); !warning.empty())
        log.warn("open-file limit too low", {{"detail", warning}});
    // rules= counts the config's own (inline and from rule files), builtin_rules= the built-in ones on.
    const auto alerting = alertRules(config);
    const auto builtin = std::count_if(alerting.begin(), alerting.end(),
                                       [](const AlertRuleConfig &r) { return r.labels.value("builtin") == "true"; });
    const std::size_t own = alerting.size() - std::size_t(builtin) + recordingRules(config).size();
    log.info("config loaded", {{"file", configPath},
                               {"targets", std::to_string(config.targets.size())},
                               {"rules", std::to_string(own)},
                               {"builtin_rules", std::to_string(builtin)},
                               {"history", historyPath.toStdString()}});
    if (config.targets.empty())
        log.warn("no targets configured; nothing will be scraped or tailed", {{"file", configPath}});
    if (config.storage.path.empty())
        log.warn("storage.path not set; using the desktop app's history file", {{"history", historyPath.toStdString()}});
    // Refuse a file another Pulseboard writes (or no history file at all) before scraping anything: the
    // writer takes the same lock for good when it opens; this early look only spares a run that cannot store.
    if (QFileInfo::exists(historyPath)) {
        if (auto held = storage::StoreLock::acquire(historyPath.toStdString()); !held) {
            log.error("history unavailable", {{"path", historyPath.toStdString()}, {"error", held.error().message}});
            return false;
        }
    }
    return true;
}

/// runUntilStopped runs the headless Pulseboard until a signal, --for or a history failure, then
/// drains it; returns the exit status.
int runUntilStopped(RunLog &log, const Config &config, const RunOptions &options, const QString &historyPath)
{
    QObject context;
    if (!stopOnSignals(log, &context))
        log.warn("signals not handled; stop with --for or SIGKILL");
    int rc = kExitOk;
    Runtime runtime(config);
    RunObserver observer(log, runtime);
    QObject::connect(&runtime.queries(), &QueryService::storeStatus, &context, [&](const StoreStatus &status) {
        if (!observer.storeStatus(status) && rc == kExitOk) {
            rc = kExitFailed;
            QCoreApplication::quit();
        }
    });
    QObject::connect(&runtime.alerts(), &AlertService::updated, &context,
                     [&observer](const AlertSnapshot &snapshot) { observer.alertsUpdated(snapshot); });
    QObject::connect(&runtime.notifications(), &NotificationService::deliveryFailed, &context,
                     [&log](const QString &receiver, const QString &error) {
                         log.warn("notification failed", {{"receiver", receiver.toStdString()},
                                                          {"error", error.toStdString()},
                                                          {"detail", "kept, and sent again after a backoff"}});
                     });
    QObject::connect(&runtime.notifications(), &NotificationService::statusChanged, &context,
                     [&observer](const NotificationStatus &status) { observer.notificationStatus(status); });
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &context, [&observer, &runtime] {
        observer.takeStatuses();
        QMetaObject::invokeMethod(&runtime.queries(), &QueryService::reportStatus, Qt::QueuedConnection);
    });
    tick.start(1000);
    if (options.forMs)
        QTimer::singleShot(static_cast<int>(*options.forMs), Qt::PreciseTimer, &context, [&log] {
            log.info("--for elapsed, stopping");
            QCoreApplication::quit();
        });

    runtime.start(historyPath);
    QCoreApplication::exec();
    // Nothing reads the pipe from here on: a second Ctrl-C during a slow stop ends the process.
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    std::signal(SIGHUP, SIG_DFL);
    tick.stop();
    observer.takeStatuses();
    if (const std::string error = runtime.stop(); !error.empty()) {
        log.error("last commit failed", {{"path", historyPath.toStdString()}, {"error", error}});
        rc = kExitFailed;
    }
    log.info("stopped", {{"samples_received", std::to_string(runtime.hub().samplesReceived())},
                         {"samples_without_history", std::to_string(runtime.hub().samplesWithoutSink())}});
    return rc;
}

} // namespace

int cmdRun(Args args, std::ostream &out, std::ostream &err)
{
    int exitCode = kExitOk;
    const auto options = parseRunOptions(args, out, err, exitCode);
    if (!options)
        return exitCode;
    auto config = loadConfigFile(options->configPath);
    if (!config) {
        for (const auto &d : config.error())
            err << formatDiagnostic(d) << "\n";
        return kExitUsage;
    }
    const std::uint64_t fileLimit = Runtime::prepareProcess();
    registerMetaTypes();
    RunLog log(err);
    const QString historyPath = Runtime::historyPathFor(*config);
    if (!announce(log, *config, options->configPath, fileLimit, historyPath))
        return kExitFailed;
    return runUntilStopped(log, *config, *options, historyPath);
}

} // namespace pulse::cli
