// The writer thread and its bounded queue (diagram in sample_writer.h).
#include "storage/sample_writer.h"

#include <algorithm>

namespace pulse::storage {

Result<std::unique_ptr<SampleWriter>> SampleWriter::open(const std::string &path, SampleWriterOptions options)
{
    auto writer = StoreWriter::open(path);
    if (!writer)
        return std::unexpected(writer.error());
    return std::unique_ptr<SampleWriter>(new SampleWriter(std::move(*writer), std::move(options)));
}

SampleWriter::SampleWriter(std::unique_ptr<StoreWriter> writer, SampleWriterOptions options)
    : m_writer(std::move(writer)), m_options(std::move(options))
{
    if (!m_options.clock)
        m_options.clock = &m_systemClock;
    m_status.committedSamples = m_writer->counters().committedSamples;
    m_status.seriesCount = m_writer->counters().seriesCount;
    m_thread = std::thread([this] { run(); });
}

SampleWriter::~SampleWriter()
{
    stop();
}

void SampleWriter::append(MetricBatch batch)
{
    const std::size_t n = batch.samples.size();
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping || (m_queuedSamples > 0 && m_queuedSamples + n > m_options.queueCapacity)) {
            m_dropped += n;
            return;
        }
        m_queuedSamples += n;
        m_queue.push_back(std::move(batch));
    }
    m_wake.notify_one();
}

void SampleWriter::appendWait(MetricBatch batch)
{
    const std::size_t n = batch.samples.size();
    {
        std::unique_lock lock(m_mutex);
        // A batch bigger than the whole queue is let in alone rather than waiting forever.
        m_room.wait(
            lock, [&] { return m_stopping || m_queuedSamples == 0 || m_queuedSamples + n <= m_options.queueCapacity; });
        if (m_stopping) {
            m_dropped += n;
            return;
        }
        m_queuedSamples += n;
        m_queue.push_back(std::move(batch));
    }
    m_wake.notify_one();
}

Result<void> SampleWriter::flush()
{
    std::unique_lock lock(m_mutex);
    const std::uint64_t generation = ++m_flushRequested;
    m_wake.notify_one();
    m_flushed.wait(lock, [&] { return m_flushServed >= generation || m_threadDone; });
    if (!m_status.ok)
        return fail(m_status.error);
    return {};
}

void SampleWriter::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_room.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    m_flushed.notify_all();
}

WriterStatus SampleWriter::status() const
{
    std::lock_guard lock(m_mutex);
    WriterStatus s = m_status;
    s.droppedSamples = m_dropped;
    return s;
}

void SampleWriter::commitNow()
{
    auto result = m_writer->commit();
    const WriterCounters &c = m_writer->counters();
    WriterStatus snapshot;
    {
        std::lock_guard lock(m_mutex);
        m_status.ok = result.has_value();
        m_status.error = result ? std::string() : result.error().message;
        m_status.committedSamples = c.committedSamples;
        m_status.outOfOrderSamples = c.outOfOrderSamples;
        m_status.outOfRangeSamples = c.outOfRangeSamples;
        m_status.seriesCount = c.seriesCount;
        if (result && c.pendingSamples == 0 && m_maxAddedTs != INT64_MIN)
            m_status.committedUpToMs = std::max(m_status.committedUpToMs, m_maxAddedTs);
        snapshot = m_status;
        snapshot.droppedSamples = m_dropped;
    }
    if (m_options.onCommit)
        m_options.onCommit(snapshot);
}

void SampleWriter::run()
{
    using SteadyClock = std::chrono::steady_clock;
    auto deadline = SteadyClock::now() + m_options.flushInterval;
    auto nextRetention = SteadyClock::now();
    std::deque<MetricBatch> work;
    for (;;) {
        std::uint64_t flushGeneration = 0;
        bool stopping = false;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_until(lock, deadline,
                              [&] { return m_stopping || !m_queue.empty() || m_flushRequested > m_flushServed; });
            work.swap(m_queue);
            m_queuedSamples = 0;
            flushGeneration = m_flushRequested;
            stopping = m_stopping;
        }
        m_room.notify_all();
        for (const MetricBatch &batch : work) {
            m_writer->add(batch);
            for (const Sample &s : batch.samples)
                m_maxAddedTs = std::max(m_maxAddedTs, s.timestampMs);
        }
        work.clear();

        const auto now = SteadyClock::now();
        const bool flushWanted = flushGeneration > m_flushServed;
        if (now >= deadline || stopping || flushWanted ||
            m_writer->counters().pendingSamples >= m_options.commitSamples) {
            if (m_writer->hasPending() || flushWanted || now >= deadline)
                commitNow();
            deadline = SteadyClock::now() + m_options.flushInterval;
        }
        const RetentionMs &keep = m_options.retention;
        if ((keep.raw > 0 || keep.m1 > 0 || keep.h1 > 0) && now >= nextRetention && !stopping) {
            // One bounded slice per wake-up, so a large backlog of expired chunks never delays a commit
            // by more than a slice.
            auto more = m_writer->enforceRetention(m_options.clock->nowMs(), keep, 2000);
            nextRetention = (more && *more) ? now : now + m_options.retentionInterval;
        }
        {
            std::lock_guard lock(m_mutex);
            m_flushServed = std::max(m_flushServed, flushGeneration);
            m_threadDone = stopping;
        }
        m_flushed.notify_all();
        if (stopping)
            break;
    }
}

} // namespace pulse::storage
