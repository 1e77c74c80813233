// Scheduler implementation: one ScheduledTarget per target, each with a steady timer.
//
//   setTargets --> [waiting] --timer--> [running] --probe done--> publish, arm next slot --> [waiting]
//                     ^  \__ slot due while running: skipped __/
//   setTargets(removed) / stop --> [stopped]: timer cancelled, a result still in flight is dropped
//
// Slots are moments of the injected Clock (nextDueMs), not of the steady clock: the timer only
// waits for the clock to get there. For a clock that moves by itself the timer waits the distance;
// for a ManualClock it waits until the clock says it moved (watchMoves), so tests step time instead
// of sleeping. A timer that wakes early (the wall clock was slewed) just waits again; a clock that
// went back by more than two intervals puts the target back on its grid from the new now, instead
// of leaving it silent until the old slot comes round again.
#include "collectors/scheduler.h"

#include "collectors/detail/asio_access.h"
#include "collectors/http_client.h"
#include "collectors/live_series.h"
#include "collectors/probe.h"
#include "core/base/text_encoding.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <mutex>
#include <optional>
#include <unordered_map>

namespace pulse {

namespace asio = boost::asio;

namespace {

/// slowness is why a successful run counts as Degraded because it used most of its timeout, or empty.
std::string slowness(std::int64_t durationMs, Duration timeout)
{
    if (timeout.count() <= 0 || durationMs * 10 <= timeout.count() * 8)
        return {};
    return "slow: took " + std::to_string(durationMs) + "ms of its " + formatDuration(timeout) + " timeout";
}

} // namespace

struct ScheduledTarget : std::enable_shared_from_this<ScheduledTarget> {
    ScheduledTarget(asio::io_context &io, TargetConfig c)
        : config(std::move(c)), strand(asio::make_strand(io)), timer(strand)
    {
    }

    TargetConfig config;
    std::shared_ptr<Probe> probe;
    // The timer is used only inside the strand (setTargets and stop post to it from other threads).
    asio::strand<asio::io_context::executor_type> strand;
    asio::steady_timer timer;
    std::int64_t nextDueMs = 0; // a moment of Scheduler::Impl::clock; used only inside the strand
    bool running = false;  // guarded by Scheduler::Impl::mutex
    bool stopped = false;  // guarded by Scheduler::Impl::mutex
    TargetStatus status;   // guarded by Scheduler::Impl::mutex
};

struct Scheduler::Impl : std::enable_shared_from_this<Scheduler::Impl> {
    Impl(IoRuntime &r, HttpClient &h, SampleSink &s, const Clock &c) : runtime(r), http(h), sink(s), clock(c) {}

    void arm(const std::shared_ptr<ScheduledTarget> &t);
    void clockMoved();
    std::optional<std::int64_t> nowUnlessStopped(const ScheduledTarget &t) const;
    void fire(const std::shared_ptr<ScheduledTarget> &t);
    void completed(const std::shared_ptr<ScheduledTarget> &t, std::int64_t startMs, ProbeOutcome outcome);

    IoRuntime &runtime;
    HttpClient &http;
    /// Shared by every prometheus probe (which may outlive this Impl in a handler still queued).
    std::shared_ptr<LiveSeries> liveSeries = std::make_shared<LiveSeries>();
    SampleSink &sink;
    const Clock &clock;
    mutable std::mutex mutex;
    std::vector<std::shared_ptr<ScheduledTarget>> targets; // config order
    StatusCallback statusCallback;
    std::shared_ptr<void> clockWatch; // tells clockMoved() when a ManualClock moves
};

std::int64_t Scheduler::jitterOffsetMs(const std::string &name, std::int64_t intervalMs)
{
    // Stable across runs and platforms, unlike std::hash: a target keeps its phase after a restart.
    const std::uint64_t h = fnv1a(name);
    return intervalMs > 0 ? static_cast<std::int64_t>(h % static_cast<std::uint64_t>(intervalMs)) : 0;
}

namespace {

/// nextSlot is the first moment at or after `nowMs` on the grid of a target with this name.
std::int64_t nextSlot(const std::string &name, std::int64_t intervalMs, std::int64_t nowMs)
{
    const std::int64_t offset = Scheduler::jitterOffsetMs(name, intervalMs);
    return nowMs + ((offset - nowMs % intervalMs) % intervalMs + intervalMs) % intervalMs;
}

std::int64_t intervalMsOf(const TargetConfig &config)
{
    return std::max<std::int64_t>(1, config.interval.count());
}

} // namespace

// nowUnlessStopped reads the clock, unless the target was stopped: after stop() the scheduler never
// touches the clock again (its owner may destroy the clock while handlers are still queued).
std::optional<std::int64_t> Scheduler::Impl::nowUnlessStopped(const ScheduledTarget &t) const
{
    std::lock_guard lock(mutex);
    if (t.stopped)
        return std::nullopt;
    return clock.nowMs();
}

// Runs in the target's strand. Setting the expiry cancels a wait already pending, so arming again
// (after the clock moved) replaces the wait instead of adding one.
void Scheduler::Impl::arm(const std::shared_ptr<ScheduledTarget> &t)
{
    const auto nowMs = nowUnlessStopped(*t);
    if (!nowMs)
        return;
    const std::int64_t now = *nowMs;
    const std::int64_t interval = intervalMsOf(t->config);
    // The clock went back by more than an interval: resume on the grid from here. (A smaller step
    // back just waits for the next slot, so the slot that ran last never runs twice.)
    if (t->nextDueMs - now > 2 * interval)
        t->nextDueMs = nextSlot(t->config.name, interval, now);
    const std::int64_t waitMs = t->nextDueMs - now;
    if (waitMs <= 0)
        t->timer.expires_after(std::chrono::milliseconds(0));
    else if (clock.movesByItself())
        t->timer.expires_after(std::chrono::milliseconds(waitMs));
    else
        t->timer.expires_at(std::chrono::steady_clock::time_point::max()); // until clockMoved()
    t->timer.async_wait([self = shared_from_this(), t](boost::system::error_code ec) {
        if (!ec)
            self->fire(t);
    });
}

// May be called on any thread (the one that moved a ManualClock). Targets without a probe (it could
// not be made) were never armed and are not now.
void Scheduler::Impl::clockMoved()
{
    std::lock_guard lock(mutex);
    for (const auto &t : targets)
        if (!t->stopped && t->probe)
            asio::post(t->strand, [self = shared_from_this(), t] { self->arm(t); });
}

// Runs in the target's strand.
void Scheduler::Impl::fire(const std::shared_ptr<ScheduledTarget> &t)
{
    const auto nowMs = nowUnlessStopped(*t);
    if (!nowMs)
        return;
    const std::int64_t now = *nowMs;
    const std::int64_t interval = intervalMsOf(t->config);
    if (now < t->nextDueMs) { // woke early (or the clock went back): wait again
        arm(t);
        return;
    }
    // Next slot on the target's grid, skipping any slots already missed.
    do
        t->nextDueMs += interval;
    while (t->nextDueMs <= now);
    bool start = false;
    {
        std::lock_guard lock(mutex);
        if (t->stopped)
            return;
        start = !t->running;
        t->running = start;
    }
    arm(t);
    if (!start)
        return;
    const std::int64_t startMs = now;
    t->probe->run(startMs, [self = shared_from_this(), t, startMs](ProbeOutcome outcome) {
        self->completed(t, startMs, std::move(outcome));
    });
}

void Scheduler::Impl::completed(const std::shared_ptr<ScheduledTarget> &t, std::int64_t startMs, ProbeOutcome outcome)
{
    TargetStatus status;
    {
        std::lock_guard lock(mutex);
        t->running = false;
        if (t->stopped)
            return;
        auto &s = t->status;
        s.lastRunMs = startMs;
        s.lastDurationMs = clock.nowMs() - startMs;
        s.samplesLastRun = outcome.size();
        s.duplicatesLastRun = outcome.duplicateSamples;
        s.futureLastRun = outcome.futureSamples;
        s.ancientLastRun = outcome.ancientSamples;
        if (outcome.health == TargetHealth::Up) {
            if (auto slow = slowness(s.lastDurationMs, t->config.timeout); !slow.empty()) {
                outcome.health = TargetHealth::Degraded;
                outcome.error = std::move(slow);
            }
        }
        s.health = outcome.health;
        s.lastError = boundedErrorText(outcome.error);
        if (outcome.health == TargetHealth::Down) {
            ++s.consecutiveFailures;
        } else {
            s.lastSuccessMs = startMs;
            s.consecutiveFailures = 0;
        }
        status = s;
    }
    MetricBatch batch;
    batch.target = t->config.name;
    batch.scrapeStartMs = startMs;
    batch.samples = std::move(outcome.samples);
    batch.series = std::move(outcome.series);
    batch.refSamples = std::move(outcome.refSamples);
    batch.seriesTableIsNew = outcome.seriesTableIsNew;
    sink.append(std::move(batch));
    if (statusCallback)
        statusCallback(status);
}

Scheduler::Scheduler(IoRuntime &runtime, HttpClient &http, SampleSink &sink, const Clock &clock)
    : m_impl(std::make_shared<Impl>(runtime, http, sink, clock))
{
    m_impl->clockWatch = clock.watchMoves([weak = std::weak_ptr<Impl>(m_impl)] {
        if (auto impl = weak.lock())
            impl->clockMoved();
    });
}

Scheduler::~Scheduler()
{
    // A destructor must not throw: stop() locks and posts (std::system_error, std::bad_alloc). Should it
    // fail, the timers still stop with their I/O loops, which their owner stops next.
    try {
        stop();
    } catch (...) { // NOLINT(bugprone-empty-catch): nothing better to do while destroying
    }
}

void Scheduler::setStatusCallback(StatusCallback callback)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->statusCallback = std::move(callback);
}

void Scheduler::setTargets(const std::vector<TargetConfig> &configs)
{
    std::vector<std::shared_ptr<ScheduledTarget>> next;
    std::vector<std::shared_ptr<ScheduledTarget>> toStart;
    std::lock_guard lock(m_impl->mutex);
    std::unordered_map<std::string, std::shared_ptr<ScheduledTarget>> old;
    for (auto &t : m_impl->targets)
        old.emplace(t->config.name, t);
    for (const auto &c : configs) {
        if (c.kind() == TargetKind::Log || c.kind() == TargetKind::PromQL)
            continue; // tailed / queried, not scheduled
        auto it = old.find(c.name);
        if (it != old.end() && it->second->config == c) {
            next.push_back(it->second);
            old.erase(it);
            continue;
        }
        // Each new target gets the next I/O loop in turn and keeps it: its timer, exchanges, parse and
        // connection all stay on that loop's thread.
        auto t = std::make_shared<ScheduledTarget>(ioContext(m_impl->runtime), c);
        t->status.name = c.name;
        t->status.kind = std::string(targetKindName(c.kind()));
        t->status.endpoint = c.endpoint(); // shown in tooltips
        auto probe = makeProbe(c, m_impl->http, m_impl->liveSeries);
        if (probe) {
            t->probe = std::move(*probe);
            toStart.push_back(t);
        } else {
            t->status.health = TargetHealth::Down;
            t->status.lastError = boundedErrorText(probe.error().message);
        }
        next.push_back(t);
    }
    for (auto &[name, t] : old) {
        t->stopped = true;
        asio::post(t->strand, [t] { t->timer.cancel(); });
    }
    m_impl->targets = std::move(next);
    const std::int64_t now = m_impl->clock.nowMs();
    for (auto &t : toStart) {
        // Slots sit at a fixed offset on the clock's grid; the first run is the next slot.
        t->nextDueMs = nextSlot(t->config.name, intervalMsOf(t->config), now);
        asio::post(t->strand, [impl = m_impl, t] { impl->arm(t); });
    }
}

std::vector<TargetStatus> Scheduler::statuses() const
{
    std::lock_guard lock(m_impl->mutex);
    std::vector<TargetStatus> out;
    out.reserve(m_impl->targets.size());
    for (const auto &t : m_impl->targets)
        out.push_back(t->status);
    return out;
}

void Scheduler::stop()
{
    std::vector<std::shared_ptr<ScheduledTarget>> all;
    {
        std::lock_guard lock(m_impl->mutex);
        all = m_impl->targets;
        for (auto &t : all)
            t->stopped = true;
    }
    for (auto &t : all)
        asio::post(t->strand, [t] { t->timer.cancel(); });
}

} // namespace pulse
