// LogCollector: a timer per tailer on a strand of the collector's own loop.
#include "collectors/log_collector.h"

#include "collectors/detail/asio_access.h"
#include "collectors/io_runtime.h"
#include "collectors/log_target_tail.h"
#include "collectors/scheduler.h"
#include "core/logs/log_metrics.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <mutex>
#include <optional>

namespace pulse {

namespace asio = boost::asio;

namespace {

constexpr std::chrono::milliseconds kPollInterval{1000};
constexpr std::chrono::milliseconds kBackoff{50};

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
};

} // namespace

struct LogCollector::Impl : std::enable_shared_from_this<LogCollector::Impl> {
    Impl(IoRuntime &r, LogSink &s, const Clock &c, SampleSink *m) : runtime(r), sink(s), clock(c), metricsSink(m) {}

    void schedule(const std::shared_ptr<TailJob> &job, std::chrono::milliseconds delay);
    void poll(const std::shared_ptr<TailJob> &job);

    IoRuntime &runtime;
    LogSink &sink;
    const Clock &clock;
    SampleSink *metricsSink; // may be null
    std::atomic<bool> stopped{false};
    std::mutex mutex; // guards statusCallback and jobs
    StatusCallback statusCallback;
    std::vector<std::shared_ptr<TailJob>> jobs;
};

void LogCollector::Impl::schedule(const std::shared_ptr<TailJob> &job, std::chrono::milliseconds delay)
{
    job->timer.expires_after(delay);
    job->timer.async_wait([self = shared_from_this(), job](boost::system::error_code ec) {
        if (!ec && !self->stopped)
            self->poll(job);
    });
}

void LogCollector::Impl::poll(const std::shared_ptr<TailJob> &job)
{
    if (!sink.hasRoom()) {
        // The writer is behind: the lines stay in the file, which holds them better than memory.
        // Asked again soon: the writer commits as soon as it holds half its bound.
        schedule(job, kBackoff);
        return;
    }
    const std::int64_t start = clock.nowMs();
    LogTargetTail::PollResult result = job->tail->poll();
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
    // A tailer with a backlog reads its next batch at once, so a big file catches up quickly.
    schedule(job, result.hasMore ? std::chrono::milliseconds(0) : kPollInterval);
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
                                             std::make_unique<LogTargetTail>(t.name, *log, m_impl->clock, saved), status,
                                             std::move(rules));
        m_impl->jobs.push_back(job);
        const auto offset = std::chrono::milliseconds(Scheduler::jitterOffsetMs(t.name, kPollInterval.count()));
        asio::post(job->strand, [impl = m_impl, job, offset] { impl->schedule(job, offset); });
    }
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
}

} // namespace pulse
