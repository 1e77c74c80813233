// The writer thread and its bounded queue (diagram in sample_writer.h).
#include "storage/sample_writer.h"

#include "core/logs/log_store.h"

#include <pthread.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>

namespace pulse::storage {

std::size_t batchBytes(const MetricBatch &batch)
{
    // Strings shorter than the small-string buffer live inside the object; longer ones own a block.
    auto heap = [](const std::string &s) { return s.size() > 15 ? s.capacity() + 1 : 0; };
    // A SeriesTable is shared by the batches of its scrapes until the target brings new series: it is
    // counted with the batch it was made for.
    std::size_t bytes = sizeof(MetricBatch) + heap(batch.target) + batch.samples.capacity() * sizeof(Sample) +
                        batch.refSamples.capacity() * sizeof(RefSample) +
                        (batch.seriesTableIsNew && batch.series ? batch.series->bytes() : 0);
    for (const Sample &s : batch.samples) {
        bytes += heap(s.metric) + s.labels.size() * sizeof(Label);
        for (const Label &l : s.labels)
            bytes += heap(l.name) + heap(l.value);
    }
    return bytes;
}

Result<std::unique_ptr<SampleWriter>> SampleWriter::open(const std::string &path, SampleWriterOptions options)
{
    auto writer = StoreWriter::open(path);
    if (!writer)
        return std::unexpected(writer.error());
    auto saved = (*writer)->logCheckpoints();
    if (!saved)
        return fail("cannot load '" + path + "': " + saved.error().message);
    return std::unique_ptr<SampleWriter>(new SampleWriter(std::move(*writer), std::move(options), std::move(*saved)));
}

SampleWriter::SampleWriter(std::unique_ptr<StoreWriter> writer, SampleWriterOptions options,
                           std::vector<LogCheckpoint> savedCheckpoints)
    : m_writer(std::move(writer)), m_options(std::move(options)), m_savedCheckpoints(std::move(savedCheckpoints))
{
    if (!m_options.clock)
        m_options.clock = &m_systemClock;
    m_status.committedSamples = m_writer->counters().committedSamples;
    m_status.committedLogRecords = m_writer->counters().committedLogRecords;
    m_status.storedLogBytes = m_writer->logBytes();
    m_status.seriesCount = m_writer->counters().seriesCount;
    m_status.quarantinedSeries = m_writer->counters().quarantinedSeries;
    m_status.firstQuarantinedId = m_writer->counters().firstQuarantinedId;
    m_thread = std::thread([this] { run(); });
    pthread_setname_np(m_thread.native_handle(), "pulse-writer");
}

SampleWriter::~SampleWriter()
{
    stop();
}

bool SampleWriter::fits(std::size_t n, std::size_t bytes) const
{
    // A batch bigger than the whole queue is let into an empty one rather than never.
    return m_queuedSamples == 0 ||
           (m_queuedSamples + n <= m_options.queueCapacity && m_queuedBytes + bytes <= m_options.queueCapacityBytes);
}

bool SampleWriter::enqueue(MetricBatch batch, std::size_t n, std::size_t bytes)
{
    for (const Sample &s : batch.samples)
        m_newestAppendedMs = std::max(m_newestAppendedMs, s.timestampMs);
    for (const RefSample &s : batch.refSamples)
        m_newestAppendedMs = std::max(m_newestAppendedMs, s.timestampMs);
    m_queuedSamples += n;
    m_queuedBytes += bytes;
    m_queue.push_back(std::move(batch));
    // The writer wakes at its flush deadline and takes everything queued by then; only a queue filling
    // up wakes it early.
    return m_queuedSamples * 2 > m_options.queueCapacity || m_queuedBytes * 2 > m_options.queueCapacityBytes;
}

void SampleWriter::append(MetricBatch batch)
{
    const std::size_t n = batch.size();
    const std::size_t bytes = batchBytes(batch);
    bool wake = false;
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping || !fits(n, bytes)) {
            m_dropped += n;
            return;
        }
        wake = enqueue(std::move(batch), n, bytes);
    }
    if (wake)
        m_wake.notify_one();
}

void SampleWriter::appendOwn(MetricBatch batch)
{
    const std::size_t n = batch.size();
    if (n > kOwnBatchLimit) {
        append(std::move(batch));
        return;
    }
    const std::size_t bytes = batchBytes(batch);
    bool wake = false;
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) {
            m_dropped += n;
            return;
        }
        wake = enqueue(std::move(batch), n, bytes);
    }
    if (wake)
        m_wake.notify_one();
}

void SampleWriter::appendWait(MetricBatch batch)
{
    const std::size_t n = batch.size();
    const std::size_t bytes = batchBytes(batch);
    {
        std::unique_lock lock(m_mutex);
        m_room.wait(lock, [&] { return m_stopping || fits(n, bytes); });
        if (m_stopping) {
            m_dropped += n;
            return;
        }
        enqueue(std::move(batch), n, bytes);
        m_bulkWaiting = true; // a bulk producer: start on it at once rather than at the deadline
    }
    m_wake.notify_one();
}

void SampleWriter::append(LogBatch batch)
{
    std::size_t bytes = 0;
    for (const LogRecord &r : batch.records)
        bytes += LogStore::recordBytes(r);
    bool wake = false;
    {
        std::lock_guard lock(m_mutex);
        // Taken even while stopping: the collectors stop first, and what they handed over last must
        // reach the final commit with its positions.
        m_queuedLogRecords += batch.records.size();
        m_queuedLogBytes += bytes;
        m_logQueue.push_back(std::move(batch));
        wake = m_queuedLogBytes * 2 > m_options.logQueueCapacityBytes;
    }
    if (wake)
        m_wake.notify_one();
}

bool SampleWriter::hasRoom() const
{
    std::lock_guard lock(m_mutex);
    return m_queuedLogBytes + m_uncommittedLogBytes < m_options.logQueueCapacityBytes;
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
    s.newestAppendedMs = m_newestAppendedMs;
    s.queuedSamples = m_queuedSamples;
    s.queuedBytes = m_queuedBytes;
    s.queueCapacityBytes = m_options.queueCapacityBytes;
    s.queuedLogRecords = m_queuedLogRecords;
    s.queuedLogBytes = m_queuedLogBytes;
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
        m_status.committedLogRecords = c.committedLogRecords;
        m_status.expiredLogRecords = c.expiredLogRecords;
        m_status.storedLogBytes = m_writer->logBytes();
        if (m_writer->pendingLogRecords() == 0)
            m_uncommittedLogBytes = 0;
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

namespace {

// releaseFreeHeap hands whole free pages inside the heap back to the system. Batches are allocated on
// the I/O threads and freed here, chunks seal and heads regrow: glibc keeps what is freed in the
// middle of its arenas resident (measured: ~10 MiB of 200 at 200 targets x 1 s). A trim takes a few
// milliseconds once a minute.
void releaseFreeHeap()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

constexpr auto kTrimInterval = std::chrono::seconds(60);
/// kPruneSeriesPerPass bounds one pruning transaction (a few index deletes per series).
constexpr std::size_t kPruneSeriesPerPass = 10'000;

} // namespace

void SampleWriter::run()
{
    using SteadyClock = std::chrono::steady_clock;
    auto deadline = SteadyClock::now() + m_options.flushInterval;
    auto nextRetention = SteadyClock::now();
    auto nextTrim = SteadyClock::now() + kTrimInterval;
    std::deque<MetricBatch> work;
    std::vector<LogBatch> logWork;
    for (;;) {
        std::uint64_t flushGeneration = 0;
        bool stopping = false;
        bool logsWaiting = false; // the tailers are held back: commit now rather than at the deadline
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_until(lock, deadline, [&] {
                return m_stopping || m_flushRequested > m_flushServed || m_bulkWaiting ||
                       m_queuedSamples * 2 > m_options.queueCapacity ||
                       m_queuedBytes * 2 > m_options.queueCapacityBytes ||
                       m_queuedLogBytes * 2 > m_options.logQueueCapacityBytes;
            });
            work.swap(m_queue);
            logWork.swap(m_logQueue);
            m_queuedSamples = 0;
            m_queuedBytes = 0;
            m_queuedLogRecords = 0;
            m_uncommittedLogBytes += m_queuedLogBytes;
            m_queuedLogBytes = 0;
            m_bulkWaiting = false;
            flushGeneration = m_flushRequested;
            stopping = m_stopping;
            logsWaiting = m_uncommittedLogBytes * 2 > m_options.logQueueCapacityBytes;
        }
        m_room.notify_all();
        for (const MetricBatch &batch : work) {
            m_writer->add(batch);
            for (const Sample &s : batch.samples)
                m_maxAddedTs = std::max(m_maxAddedTs, s.timestampMs);
            for (const RefSample &s : batch.refSamples)
                m_maxAddedTs = std::max(m_maxAddedTs, s.timestampMs);
        }
        work.clear();
        for (LogBatch &batch : logWork)
            m_writer->addLogs(std::move(batch));
        logWork.clear();

        const auto now = SteadyClock::now();
        const bool flushWanted = flushGeneration > m_flushServed;
        if (now >= deadline || stopping || flushWanted || logsWaiting ||
            m_writer->counters().pendingSamples >= m_options.commitSamples) {
            if (m_writer->hasPending() || flushWanted || now >= deadline)
                commitNow();
            deadline = SteadyClock::now() + m_options.flushInterval;
        }
        if (now >= nextRetention && !stopping)
            nextRetention = retentionSlice(now);
        {
            std::lock_guard lock(m_mutex);
            m_flushServed = std::max(m_flushServed, flushGeneration);
            m_threadDone = stopping;
        }
        m_flushed.notify_all();
        if (stopping)
            break;
        // After the waiters are told: nobody blocked in flush() waits for the trim.
        if (now >= nextTrim && !flushWanted) {
            releaseFreeHeap();
            nextTrim = now + kTrimInterval;
        }
    }
    finishCleanly();
}

std::chrono::steady_clock::time_point SampleWriter::retentionSlice(std::chrono::steady_clock::time_point now)
{
    const RetentionMs &keep = m_options.retention;
    // Logs first, in a slice of their own; an error here costs disk, not data, and is retried.
    const auto logsMore =
        m_writer->enforceLogRetention(m_options.clock->nowMs(), m_options.logRetentionMs, m_options.logMaxBytes, 2000);
    if (logsMore) {
        std::lock_guard lock(m_mutex);
        m_status.expiredLogRecords = m_writer->counters().expiredLogRecords;
        m_status.storedLogBytes = m_writer->logBytes();
    }
    const bool moreLogs = logsMore && *logsMore;
    if (keep.raw <= 0 && keep.m1 <= 0 && keep.h1 <= 0)
        return moreLogs ? now : now + m_options.retentionInterval;
    // One bounded slice per wake-up, so a large backlog of expired chunks never delays a commit by
    // more than a slice.
    auto more = m_writer->enforceRetention(m_options.clock->nowMs(), keep, 2000);
    // Once a pass is done, series with nothing left are pruned from the catalogue (bounded per pass)
    // and a slice of what it freed goes back to the file system (an error here costs disk, not data:
    // it is tried again after the next pass).
    if (more && !*more) {
        (void)m_writer->pruneSeries(m_options.clock->nowMs(), keep, kPruneSeriesPerPass);
        (void)m_writer->releaseFreePages();
    }
    return ((more && *more) || moreLogs) ? now : now + m_options.retentionInterval;
}

void SampleWriter::finishCleanly()
{
    // A clean stop leaves a file that needs no replay. checkpointAll first commits what is pending (a
    // retry when the last commit failed); the status it leaves says whether everything accepted was
    // committed. A failed checkpoint after a good commit loses nothing: the head log still has it all.
    const auto r = m_writer->checkpointAll();
    std::lock_guard lock(m_mutex);
    if (r || !m_writer->hasPending()) {
        m_status.ok = true;
        m_status.error.clear();
        m_status.committedSamples = m_writer->counters().committedSamples;
        m_status.committedLogRecords = m_writer->counters().committedLogRecords;
    } else {
        m_status.ok = false;
        m_status.error = r.error().message;
    }
}

} // namespace pulse::storage
