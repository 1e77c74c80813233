// Scheduler: runs every target's probe on its interval, spread by a stable jitter, never overlapping.
#pragma once

#include "core/base/clock.h"
#include "core/base/metric_batch.h"
#include "core/base/target_status.h"
#include "core/config/target_config.h"

#include <functional>
#include <memory>
#include <vector>

namespace pulse {

class HttpClient;
class IoRuntime;

/// Scheduler owns one timer per target on the IoRuntime. A target's runs are offset within its
/// interval by a hash of its name (as Prometheus spreads scrapes), so many targets don't fire at
/// once; a run that is still going when the next is due makes that slot be skipped, not queued.
///
/// Status after each run (TargetStatus):
///   health    Up: the run succeeded and met every expectation.
///             Degraded: the run succeeded (`up` = 1, lastSuccessMs advances, consecutiveFailures
///             resets) but was slow — it missed an http/json/graphql `max_latency`, or took more
///             than 80% of its timeout — and lastError says how slow.
///             Down: the run failed; lastError says why; consecutiveFailures counts up.
///             Unknown: not run yet.
///   lastError       empty when Up; the reason when Degraded or Down.
///   lastSuccessMs   start of the last run that was Up or Degraded.
///
/// Threading: setTargets() and statuses() may be called from any thread; results go to the sink
/// and the status callback from I/O threads.
class Scheduler {
public:
    using StatusCallback = std::function<void(const TargetStatus &)>;

    Scheduler(IoRuntime &runtime, HttpClient &http, SampleSink &sink, const Clock &clock);
    ~Scheduler();
    Scheduler(const Scheduler &) = delete;
    Scheduler &operator=(const Scheduler &) = delete;

    /// setStatusCallback is called after every run with the target's new status. Set it before
    /// setTargets().
    void setStatusCallback(StatusCallback callback);

    /// setTargets applies a config: new targets start, removed ones stop, changed ones restart,
    /// unchanged ones keep their schedule.
    void setTargets(const std::vector<TargetConfig> &targets);

    /// statuses is a snapshot of every target's status, in config order.
    std::vector<TargetStatus> statuses() const;

    /// stop cancels every timer; runs in flight finish but their results are dropped.
    void stop();

    /// jitterOffsetMs is where within its interval a target with this name runs.
    static std::int64_t jitterOffsetMs(const std::string &name, std::int64_t intervalMs);

    struct Impl;

private:
    std::shared_ptr<Impl> m_impl;
};

} // namespace pulse
