// SampleWriter: the history writer thread. Collectors hand it batches (SampleSink) and tailers their
// log records with their file positions (LogSink); it owns the only write connection and commits
// both in one transaction every flushInterval or commitSamples.
//
//   collector threads --append()--> bounded queue (samples and bytes; drops + counts when full)
//                                        | woken by the flush deadline, flush(), stop(), or a queue
//                                        | more than half full: batches from every thread coalesce
//                                        v
//                          writer thread: StoreWriter::add → commit → retention slice
//
// A failed commit (disk full, I/O error) keeps the data in memory, reports status().ok == false
// with the reason, and is retried at the next flush deadline; collection continues meanwhile (the
// queue drops and counts what it cannot hold). Log batches are never dropped: past
// logQueueCapacityBytes hasRoom() says no and tailers leave the lines in their files until it says yes.
#pragma once

#include "core/base/clock.h"
#include "core/base/error.h"
#include "core/base/metric_batch.h"
#include "core/logs/log_sink.h"
#include "storage/store_writer.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace pulse::storage {

/// WriterStatus is a snapshot of the writer's health, safe to copy to any thread.
struct WriterStatus {
    bool ok = true;
    std::string error; ///< the last failure, empty when ok
    std::uint64_t committedSamples = 0;
    std::uint64_t droppedSamples = 0; ///< queue full
    std::uint64_t outOfOrderSamples = 0;
    std::uint64_t outOfRangeSamples = 0;
    std::uint64_t seriesCount = 0;
    std::uint64_t quarantinedSeries = 0; ///< set aside at open: corrupt label sets (StoreWriter)
    std::int64_t firstQuarantinedId = 0;
    std::int64_t committedUpToMs = 0;  ///< newest sample timestamp made durable
    std::int64_t newestAppendedMs = 0; ///< newest sample timestamp accepted into the queue
    std::uint64_t queuedSamples = 0;   ///< waiting for the writer now
    std::uint64_t queuedBytes = 0;     ///< their memory, as estimated by batchBytes()
    std::uint64_t queueCapacityBytes = 0;
    std::uint64_t committedLogRecords = 0;
    std::uint64_t expiredLogRecords = 0; ///< by log retention
    std::uint64_t queuedLogRecords = 0;
    std::uint64_t queuedLogBytes = 0;
    std::int64_t storedLogBytes = 0; ///< LogTableWriter::bytes after the last commit
};

/// batchBytes estimates the heap a queued batch holds (strings, label vectors, the samples).
std::size_t batchBytes(const MetricBatch &batch);

struct SampleWriterOptions {
    std::size_t queueCapacity = 1'000'000;     ///< samples waiting for the writer (StorageWriteConfig's default)
    std::size_t queueCapacityBytes = 64 << 20; ///< and their memory (batchBytes)
    std::chrono::milliseconds flushInterval{250};
    std::size_t commitSamples = 1'000'000; ///< commit early when this many samples are pending
    RetentionMs retention;                 ///< all zero: keep everything
    std::chrono::milliseconds retentionInterval{60'000};
    /// logQueueCapacityBytes is where hasRoom() starts saying no (LogStore::recordBytes of the records).
    std::size_t logQueueCapacityBytes = 32 << 20;
    /// logRetentionMs and logMaxBytes: log records older, or the oldest past this many stored bytes,
    /// are deleted in bounded slices; 0 turns a bound off.
    std::int64_t logRetentionMs = 0;
    std::uint64_t logMaxBytes = 0;
    const Clock *clock = nullptr; ///< for retention horizons; null = the system clock
    /// onCommit runs on the writer thread after every commit attempt; keep it short.
    std::function<void(const WriterStatus &)> onCommit;
};

class SampleWriter final : public SampleSink, public LogSink {
public:
    static Result<std::unique_ptr<SampleWriter>> open(const std::string &path, SampleWriterOptions options = {});
    ~SampleWriter() override;

    /// append queues a batch, or drops and counts it when the queue is full. Thread-safe, never blocks
    /// on I/O.
    void append(MetricBatch batch) override;
    /// appendOwn queues one of the application's own small batches (self-metrics, ALERTS) even when the
    /// queue is full: they are few, and they are what tells the user about the overload. Batches over
    /// kOwnBatchLimit samples are treated like append(). Thread-safe, never blocks.
    void appendOwn(MetricBatch batch);
    static constexpr std::size_t kOwnBatchLimit = 10'000;
    /// append(LogBatch) queues log records and positions for the next commit; never drops. Thread-safe.
    void append(LogBatch batch) override;
    /// hasRoom says whether the log lines queued and those the writer holds uncommitted (commits
    /// failing: a full disk) are under logQueueCapacityBytes. Thread-safe.
    bool hasRoom() const override;
    /// savedLogCheckpoints are the tail positions the file held when it was opened.
    const std::vector<LogCheckpoint> &savedLogCheckpoints() const { return m_savedCheckpoints; }
    /// appendWait queues a batch, waiting for room (bulk import and benchmarks). Thread-safe.
    void appendWait(MetricBatch batch);
    /// flush waits until everything queued before the call is committed; returns the commit error if
    /// that failed. Thread-safe.
    Result<void> flush();
    /// stop drains the queue, commits and joins the thread. Called by the destructor.
    void stop();

    WriterStatus status() const;

private:
    SampleWriter(std::unique_ptr<StoreWriter> writer, SampleWriterOptions options,
                 std::vector<LogCheckpoint> savedCheckpoints);
    // Runs on the writer thread.
    void run();
    // run's steps, on the writer thread: one retention slice (returns when the next is due), and
    // the checkpoint that ends a clean stop.
    std::chrono::steady_clock::time_point retentionSlice(std::chrono::steady_clock::time_point now);
    void finishCleanly();
    // Runs on the writer thread.
    void commitNow();
    // admit decides, under m_mutex, whether a batch of n samples and `bytes` fits the queue.
    bool fits(std::size_t n, std::size_t bytes) const;
    // enqueue adds an admitted batch; called with m_mutex held. Returns whether to wake the writer.
    bool enqueue(MetricBatch batch, std::size_t n, std::size_t bytes);

    std::unique_ptr<StoreWriter> m_writer;
    SampleWriterOptions m_options;
    SystemClock m_systemClock;
    std::vector<LogCheckpoint> m_savedCheckpoints; // set before the thread starts, then read-only

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;    // writer waits for work
    std::condition_variable m_room;    // appendWait waits for queue space
    std::condition_variable m_flushed; // flush() waits for its generation
    std::deque<MetricBatch> m_queue;
    std::vector<LogBatch> m_logQueue;
    std::size_t m_queuedLogRecords = 0;
    std::size_t m_queuedLogBytes = 0;
    std::size_t m_uncommittedLogBytes = 0; // taken by the writer, not yet committed (a failing disk)
    std::size_t m_queuedSamples = 0;
    std::size_t m_queuedBytes = 0;
    std::int64_t m_newestAppendedMs = 0;
    std::uint64_t m_flushRequested = 0;
    std::uint64_t m_flushServed = 0;
    bool m_stopping = false;
    bool m_bulkWaiting = false; // appendWait queued work: wake now
    bool m_threadDone = false;
    WriterStatus m_status;
    std::uint64_t m_dropped = 0;

    // Writer-thread only.
    std::int64_t m_maxAddedTs = INT64_MIN;

    std::thread m_thread;
};

} // namespace pulse::storage
