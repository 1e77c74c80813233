// LogCollector: a timer per tailer on a strand of the collector's own loop.
#include "collectors/log_collector.h"

#include "collectors/detail/asio_access.h"
#include "collectors/io_runtime.h"
#include "collectors/log_file_watch.h"
#include "collectors/log_target_tail.h"
#include "collectors/scheduler.h"
#include "core/logs/log_metrics.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <fnmatch.h>

#include <atomic>
#include <mutex>
#include <optional>

namespace pulse {

namespace asio = boost::asio;

namespace {

constexpr std::chrono::milliseconds kPollInterval{1000};
constexpr std::chrono::milliseconds kBackoff{50};
// How soon a tailer held back by a full writer queue asks again. Short: the writer takes the queue
// as soon as it commits, and a tailer still asleep then leaves both threads idle (measured on the
// log store bench, 50 ms here cost about a tenth of the ingest rate).
constexpr std::chrono::milliseconds kRoomRetry{5};

struct TailJob {
    TailJob(asio::io_context &io, std::unique_ptr<LogTargetTail> t, TargetStatus s,
            std::vector<CompiledLogMetricRule> rules)
        : strand(asio::make_strand(io)), timer(strand), tail(std::move(t)), status(std::move(s)),
          metrics(status.name, std::move(rules))
    {
    }
    asio::strand<asio::io_context::executor_type> strand;
    asio::steady_timer timer; // used only inside the strand
    std::unique_ptr<LogTargetTail> tail;
    TargetStatus status; // touched only inside the strand
    LogMetrics metrics;  // inside the strand
    // Inside the strand: a wait is pending; a file of the target changed since the last poll
    // (LogFileWatch); when the last poll began.
    bool waiting = false;
    bool dirty = false;
    std::chrono::steady_clock::time_point lastPoll{};
};

// watchedDirectory is the directory inotify watches for a target's path and the pattern its entries'
// names must match; empty when the directory itself has glob characters (polling alone then).
std::pair<std::string, std::string> watchedDirectory(const std::string &path)
{
    const std::size_t slash = path.rfind('/');
    std::string directory =
        slash == std::string::npos ? std::string(".") : path.substr(0, std::max<std::size_t>(slash, 1));
    if (LogTargetTail::isGlob(directory))
        return {};
    return {std::move(directory), slash == std::string::npos ? path : path.substr(slash + 1)};
}

} // namespace

struct LogCollector::Impl : std::enable_shared_from_this<LogCollector::Impl> {
    Impl(IoRuntime &r, LogSink &s, const Clock &c, SampleSink *m) : runtime(r), sink(s), clock(c), metricsSink(m) {}

    void schedule(const std::shared_ptr<TailJob> &job, std::chrono::milliseconds delay);
    void poll(const std::shared_ptr<TailJob> &job);
    // wake runs a waiting job's poll now (at most one every kBackoff): a file of it changed.
    void wake(const std::shared_ptr<TailJob> &job);

    IoRuntime &runtime;
    LogSink &sink;
    const Clock &clock;
    SampleSink *metricsSink; // may be null
    std::atomic<bool> stopped{false};
    std::mutex mutex; // guards statusCallback and jobs
    StatusCallback statusCallback;
    std::vector<std::shared_ptr<TailJob>> jobs;
    std::chrono::milliseconds pollInterval = kPollInterval;
};

void LogCollector::Impl::schedule(const std::shared_ptr<TailJob> &job, std::chrono::milliseconds delay)
{
    job->timer.expires_after(delay);
    job->waiting = true;
    job->timer.async_wait([self = shared_from_this(), job](boost::system::error_code ec) {
        job->waiting = false;
        if (self->stopped || (ec && !job->dirty))
            return;
        if (ec) {
            // Woken by a change (wake): at most one poll every kBackoff, so a log written line by
            // line does not turn into a poll per write.
            const auto since = std::chrono::steady_clock::now() - job->lastPoll;
            if (since < kBackoff) {
                self->schedule(job, std::chrono::duration_cast<std::chrono::milliseconds>(kBackoff - since) +
                                        std::chrono::milliseconds(1));
                return;
            }
        }
        self->poll(job);
    });
}

void LogCollector::Impl::wake(const std::shared_ptr<TailJob> &job)
{
    asio::post(job->strand, [self = shared_from_this(), job] {
        job->dirty = true; // a poll under way sees it when it is done
        if (job->waiting && !self->stopped)
            job->timer.cancel();
    });
}

void LogCollector::Impl::poll(const std::shared_ptr<TailJob> &job)
{
    if (!sink.hasRoom()) {
        // The writer is behind: the lines stay in the file, which holds them better than memory.
        // Asked again soon (kRoomRetry): the writer commits as soon as it holds half its bound.
        // (lastPoll: file changes meanwhile do not ask more often.)
        job->lastPoll = std::chrono::steady_clock::now();
        schedule(job, kRoomRetry);
        return;
    }

    const bool changed = job->dirty;
    job->dirty = false;
    job->lastPoll = std::chrono::steady_clock::now();
    const std::int64_t start = clock.nowMs();
    LogTargetTail::PollResult result = job->tail->poll(changed);
    auto &s = job->status;
    s.lastRunMs = start;
    s.lastDurationMs = clock.nowMs() - start;
    s.samplesLastRun = result.batch.records.size();
    s.lastError = boundedErrorText(result.error);
    if (result.error.empty() || result.degraded) {
        s.health = result.error.empty() ? TargetHealth::Up : TargetHealth::Degraded;
        s.lastSuccessMs = start;
        s.consecutiveFailures = 0;
    } else {
        s.health = TargetHealth::Down;
        ++s.consecutiveFailures;
    }
    for (LogRecord &r : result.batch.records)
        job->metrics.add(r);
    if (metricsSink && !job->metrics.empty())
        metricsSink->append(job->metrics.batch(start));
    if (!result.batch.records.empty() || !result.batch.checkpoints.empty())
        sink.append(std::move(result.batch));
    {
        std::lock_guard lock(mutex);
        if (statusCallback)
            statusCallback(s);
    }
    // A tailer with a backlog reads its next batch at once, so a big file catches up quickly; one
    // whose files changed during the poll looks again shortly.
    schedule(job, result.hasMore ? std::chrono::milliseconds(0) : job->dirty ? kBackoff : pollInterval);
}

LogCollector::LogCollector(LogSink &sink, const Clock &clock, SampleSink *metrics)
    : m_runtime(std::make_unique<IoRuntime>(1, kThreadName)),
      m_impl(std::make_shared<Impl>(*m_runtime, sink, clock, metrics))
{
}

LogCollector::~LogCollector()
{
    // A destructor must not throw: stop() locks and posts (std::system_error, std::bad_alloc). Should it
    // fail, the timers still stop with their I/O loops, which their owner stops next.
    try {
        stop();
    } catch (...) { // NOLINT(bugprone-empty-catch): nothing better to do while destroying
    }
}

void LogCollector::setStatusCallback(StatusCallback callback)
{
    std::lock_guard lock(m_impl->mutex);
    m_impl->statusCallback = std::move(callback);
}

void LogCollector::start(const std::vector<TargetConfig> &targets, const std::vector<LogCheckpoint> &saved)
{
    std::lock_guard lock(m_impl->mutex);
    for (const auto &t : targets) {
        const auto *log = t.as<LogOptions>();
        if (!log)
            continue;
        TargetStatus status;
        status.name = t.name;
        status.kind = "log";
        status.endpoint = log->path;
        // The loader refused rules that do not compile; one that still fails is left out.
        std::vector<CompiledLogMetricRule> rules;
        for (const LogMetricRule &rule : log->metrics) {
            if (auto compiled = compileLogMetricRule(rule))
                rules.push_back(std::move(*compiled));
        }
        auto job = std::make_shared<TailJob>(ioContext(m_impl->runtime),
                                             std::make_unique<LogTargetTail>(t.name, *log, m_impl->clock, saved),
                                             status, std::move(rules));
        m_impl->jobs.push_back(job);
        if (const auto [directory, pattern] = watchedDirectory(log->path); !directory.empty()) {
            if (!m_watch)
                m_watch = std::make_unique<LogFileWatch>(*m_runtime);
            std::weak_ptr<Impl> weak = m_impl;
            m_watch->watch(directory, [weak, job, pattern = pattern](std::string_view name) {
                // Only entries the target's path or glob names (the queue overflowed: any of them).
                if (auto impl = weak.lock();
                    impl && (name.empty() || ::fnmatch(pattern.c_str(), std::string(name).c_str(), 0) == 0))
                    impl->wake(job);
            });
        }
        // The first poll within a second, whatever the interval: it decides what is already there.
        const auto offset = std::chrono::milliseconds(
            Scheduler::jitterOffsetMs(t.name, std::min(m_impl->pollInterval, kPollInterval).count()));
        asio::post(job->strand, [impl = m_impl, job, offset] { impl->schedule(job, offset); });
    }
    if (m_watch)
        m_watch->start();
}

void LogCollector::setPollInterval(std::chrono::milliseconds interval)
{
    m_impl->pollInterval = interval;
}

void LogCollector::stop()
{
    m_impl->stopped = true;
    {
        std::lock_guard lock(m_impl->mutex);
        for (auto &job : m_impl->jobs)
            asio::post(job->strand, [job] { job->timer.cancel(); });
    }
    m_runtime->stop(); // a poll in flight finishes first; nothing runs after
    if (m_watch)
        m_watch->close(); // before the runtime that reads it is destroyed
}

} // namespace pulse
