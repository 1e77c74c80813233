// LogStore: the recent log records in memory, bounded by count and bytes, for the log view and
// drill-down queries.
#pragma once

#include "core/logs/log_reader.h"
#include "core/logs/log_sink.h"

#include <cstdint>
#include <deque>
#include <shared_mutex>

namespace pulse {

/// LogStoreLimits bounds a LogStore; the oldest records are evicted first when either is exceeded.
struct LogStoreLimits {
    std::size_t maxRecords = 200'000;
    /// maxBytes is compared with an estimate of each record's heap and inline size.
    std::size_t maxBytes = std::size_t{128} * 1024 * 1024;
};

/// LogStoreStats counts what happened to records, so a full store is visible instead of silent.
struct LogStoreStats {
    std::size_t records = 0;
    std::size_t bytes = 0;
    std::uint64_t appended = 0;
    std::uint64_t evicted = 0;
};

/// LogStore keeps records sorted by timestamp (arrival order among equal timestamps).
///
/// Invariants:
///   1. m_records is sorted by timestampMs; equal timestamps keep their arrival order.
///   2. m_bytes is the sum of recordBytes() over m_records.
///   3. After append returns, size <= maxRecords and bytes <= maxBytes (one record larger than
///      maxBytes on its own is still kept alone, so the newest line is never lost).
///
/// Thread safety: every method may be called from any thread. append takes the exclusive lock,
/// query and stats a shared one, so concurrent queries see consistent snapshots.
class LogStore final : public LogSink, public LogReader {
public:
    explicit LogStore(LogStoreLimits limits = {});

    void append(LogBatch batch) override;
    /// append(records) is append() of a batch without checkpoints.
    void append(std::vector<LogRecord> records);
    Result<std::vector<LogRecord>> query(const LogQuery &query) const override;

    /// clear drops every record (counters are kept).
    void clear();
    LogStoreStats stats() const;

    /// recordBytes is the size a record is charged against maxBytes.
    static std::size_t recordBytes(const LogRecord &record);

private:
    // Must be called with the exclusive lock held.
    void evictLocked();

    LogStoreLimits m_limits;
    mutable std::shared_mutex m_mutex;
    std::deque<LogRecord> m_records;
    std::size_t m_bytes = 0;
    std::uint64_t m_appended = 0;
    std::uint64_t m_evicted = 0;
};

} // namespace pulse
