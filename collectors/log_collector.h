// LogCollector: runs one LogTailer per `kind: log` target on the collectors' threads.
#pragma once

#include "core/base/clock.h"
#include "core/base/metric_batch.h"
#include "core/base/target_status.h"
#include "core/config/target_config.h"
#include "core/logs/log_sink.h"

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

namespace pulse {

class IoRuntime;
class LogFileWatch;

/// LogCollector polls each log target's tailer every second (jittered like scrapes; at once again
/// while a tailer has more to read; at once when inotify says a file of it changed, at most every
/// 50 ms — polling stays for what inotify does not see), hands records to the LogSink with the file's position after
/// them (a LogCheckpoint, whenever it moved), and reports a TargetStatus per poll (down with the
/// tailer's error while the file can't be read). While the sink has no room it does not read: the
/// lines wait in the file.
///
/// Threading: start()/stop() from the owning thread. Polls run on a thread of the collector's own
/// ("pulse-logs"), one strand per target, so a tailer is never polled twice at once: reads and
/// stats of a file on a slow or hung disk (a network mount) delay other log files, never a scrape
/// on the shared I/O threads, and never the GUI thread.
class LogCollector {
public:
    using StatusCallback = std::function<void(const TargetStatus &)>;

    /// kThreadName names the collector's thread.
    static constexpr const char *kThreadName = "pulse-logs";

    /// metrics, when given, receives each target's log_lines_total and, for access logs, request,
    /// byte and suspicious-request counters after every poll (core/logs/log_metrics.h).
    LogCollector(LogSink &sink, const Clock &clock, SampleSink *metrics = nullptr);
    ~LogCollector();
    LogCollector(const LogCollector &) = delete;
    LogCollector &operator=(const LogCollector &) = delete;

    void setStatusCallback(StatusCallback callback);
    /// start begins tailing every `kind: log` target of `targets` (others are ignored). A file with a
    /// checkpoint in `saved` resumes right after the last line stored (if it is still the same file;
    /// else from its start); any other file starts where its target's `start_at` says (the end by
    /// default, as `tail -f` does).
    void start(const std::vector<TargetConfig> &targets, const std::vector<LogCheckpoint> &saved = {});
    /// stop cancels the timers, lets a poll in flight finish and ends the thread.
    void stop();
    /// setPollInterval changes how often files are polled when nothing wakes them (default 1 s);
    /// before start(). Tests set it long to see inotify alone at work.
    void setPollInterval(std::chrono::milliseconds interval);

    struct Impl;

private:
    // Destroyed after m_impl (members go in reverse): handlers still queued hold the Impl, and are
    // destroyed with the loop.
    std::unique_ptr<IoRuntime> m_runtime;
    std::shared_ptr<Impl> m_impl;
    std::unique_ptr<LogFileWatch> m_watch; // inotify on the targets' directories; closed by stop()
};

} // namespace pulse
