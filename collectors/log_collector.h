// LogCollector: runs one LogTailer per `kind: log` target on the collectors' threads.
#pragma once

#include "core/clock.h"
#include "core/log_sink.h"
#include "core/target_config.h"
#include "core/target_status.h"

#include <functional>
#include <memory>
#include <vector>

namespace pulse {

class IoRuntime;

/// LogCollector polls each log target's tailer every second (jittered like scrapes; at once again
/// while a tailer has more to read), hands records to the LogSink, and reports a TargetStatus per
/// poll (down with the tailer's error while the file can't be read).
///
/// Threading: start()/stop() from the owning thread; polls run on I/O threads, one strand per
/// target, so a tailer is never polled twice at once. Disk reads never happen on the GUI thread.
class LogCollector {
public:
    using StatusCallback = std::function<void(const TargetStatus &)>;

    LogCollector(IoRuntime &runtime, LogSink &sink, const Clock &clock);
    ~LogCollector();
    LogCollector(const LogCollector &) = delete;
    LogCollector &operator=(const LogCollector &) = delete;

    void setStatusCallback(StatusCallback callback);
    /// start begins tailing every `kind: log` target of `targets` (others are ignored). New lines
    /// only: a file's existing content is skipped, as `tail -f` does.
    void start(const std::vector<TargetConfig> &targets);
    /// stop cancels the timers; polls in flight finish.
    void stop();

    struct Impl;

private:
    std::shared_ptr<Impl> m_impl;
};

} // namespace pulse
