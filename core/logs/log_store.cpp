// LogStore: a sorted, bounded deque of records behind a shared_mutex.
#include "core/logs/log_store.h"

#include "core/logs/log_query_matcher.h"

#include <algorithm>
#include <limits>
#include <mutex>

namespace pulse {
namespace {

bool earlier(const LogRecord &a, const LogRecord &b)
{
    return a.timestampMs < b.timestampMs;
}

} // namespace

LogStore::LogStore(LogStoreLimits limits) : m_limits(limits) {}

std::size_t LogStore::recordBytes(const LogRecord &record)
{
    std::size_t bytes = sizeof(LogRecord) + record.target.size() + record.file.size() + record.message.size() + record.raw.size();
    for (const LogField &field : record.fields)
        bytes += sizeof(LogField) + field.first.size() + field.second.size();
    return bytes;
}

void LogStore::append(LogBatch batch)
{
    append(std::move(batch.records)); // positions are not kept: memory does not survive a restart
}

void LogStore::append(std::vector<LogRecord> records)
{
    // Sorting the batch first makes the common case (a batch newer than everything stored) a run of
    // push_backs; only stragglers from a slower target pay for an insertion in the middle.
    std::stable_sort(records.begin(), records.end(), earlier);
    std::unique_lock lock(m_mutex);
    for (LogRecord &record : records) {
        m_bytes += recordBytes(record);
        ++m_appended;
        if (m_records.empty() || !earlier(record, m_records.back())) {
            m_records.push_back(std::move(record));
        } else {
            const auto at = std::upper_bound(m_records.begin(), m_records.end(), record, earlier);
            m_records.insert(at, std::move(record));
        }
    }
    evictLocked();
}

void LogStore::evictLocked()
{
    while (m_records.size() > 1 && (m_records.size() > m_limits.maxRecords || m_bytes > m_limits.maxBytes)) {
        m_bytes -= recordBytes(m_records.front());
        m_records.pop_front();
        ++m_evicted;
    }
    if (m_limits.maxRecords == 0 && !m_records.empty()) {
        m_bytes = 0;
        m_evicted += m_records.size();
        m_records.clear();
    }
}

Result<std::vector<LogRecord>> LogStore::query(const LogQuery &query) const
{
    auto matcher = LogQueryMatcher::compile(query);
    if (!matcher)
        return std::unexpected(matcher.error());
    const std::size_t limit = query.limit == 0 ? std::numeric_limits<std::size_t>::max() : query.limit;

    std::shared_lock lock(m_mutex);
    LogRecord bound;
    bound.timestampMs = query.fromMs;
    const auto first = std::lower_bound(m_records.begin(), m_records.end(), bound, earlier);
    bound.timestampMs = query.toMs;
    const auto last = std::lower_bound(first, m_records.end(), bound, earlier);

    std::vector<LogRecord> out;
    if (query.keepNewest) {
        for (auto it = last; it != first && out.size() < limit;) {
            --it;
            if (matcher->matches(*it))
                out.push_back(*it);
        }
        std::reverse(out.begin(), out.end());
    } else {
        for (auto it = first; it != last && out.size() < limit; ++it) {
            if (matcher->matches(*it))
                out.push_back(*it);
        }
    }
    return out;
}

void LogStore::clear()
{
    std::unique_lock lock(m_mutex);
    m_records.clear();
    m_bytes = 0;
}

LogStoreStats LogStore::stats() const
{
    std::shared_lock lock(m_mutex);
    return {m_records.size(), m_bytes, m_appended, m_evicted};
}

} // namespace pulse
