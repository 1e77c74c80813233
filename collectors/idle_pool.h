// IdlePool: a bounded set of idle, reusable objects (keep-alive connections) grouped by key.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace pulse {

/// IdlePoolLimits bound an IdlePool: idle items per key, idle items in all, and how long an item
/// may stay idle before it is dropped instead of reused.
struct IdlePoolLimits {
    std::size_t maxPerKey = 4;
    std::size_t maxTotal = 256;
    std::chrono::milliseconds idleTimeout{30'000};
};

/// IdlePool keeps idle items with the time they became idle. take() hands out the most recently
/// idled item of a key (the one least likely to have been closed by its server); put() makes room
/// by dropping expired items first, then the oldest item of the key or of the pool. Dropped items
/// are destroyed outside the lock; `dropped()` counts items dropped for a bound (not for expiry).
///
/// Thread-safe: every member may be called from any thread. T's destructor must not call back into
/// the pool.
template <class T>
class IdlePool {
public:
    using TimePoint = std::chrono::steady_clock::time_point;

    explicit IdlePool(IdlePoolLimits limits = {}) : m_limits(limits) {}

    /// take returns an idle item for `key` that is not older than the idle timeout, or nullptr.
    std::unique_ptr<T> take(const std::string &key, TimePoint now)
    {
        std::vector<std::unique_ptr<T>> expired;
        std::unique_ptr<T> found;
        {
            std::lock_guard lock(m_mutex);
            expireLocked(now, expired);
            for (auto it = m_entries.rbegin(); it != m_entries.rend(); ++it) {
                if (it->key == key) {
                    found = std::move(it->item);
                    m_entries.erase(std::next(it).base());
                    break;
                }
            }
        }
        return found;
    }

    /// put offers an item that just became idle at `now`.
    void put(const std::string &key, std::unique_ptr<T> item, TimePoint now)
    {
        std::vector<std::unique_ptr<T>> dropped;
        {
            std::lock_guard lock(m_mutex);
            if (m_closed || m_limits.maxPerKey == 0 || m_limits.maxTotal == 0) {
                dropped.push_back(std::move(item));
                return;
            }
            expireLocked(now, dropped);
            std::size_t sameKey = 0;
            for (const auto &e : m_entries)
                sameKey += e.key == key;
            if (sameKey >= m_limits.maxPerKey)
                dropOldestLocked(&key, dropped);
            else if (m_entries.size() >= m_limits.maxTotal)
                dropOldestLocked(nullptr, dropped);
            m_entries.push_back(Entry{key, std::move(item), now});
        }
    }

    std::size_t size() const
    {
        std::lock_guard lock(m_mutex);
        return m_entries.size();
    }

    std::uint64_t dropped() const
    {
        std::lock_guard lock(m_mutex);
        return m_dropped;
    }

    /// close drops every idle item and refuses later put()s — for items that must not outlive
    /// something else (sockets and their io_context).
    void close()
    {
        std::vector<Entry> all;
        {
            std::lock_guard lock(m_mutex);
            m_closed = true;
            all.swap(m_entries);
        }
    }

private:
    struct Entry {
        std::string key;
        std::unique_ptr<T> item;
        TimePoint idleSince;
    };

    // Entries are kept in the order they became idle, so the front is the oldest.
    void expireLocked(TimePoint now, std::vector<std::unique_ptr<T>> &out)
    {
        std::erase_if(m_entries, [&](Entry &e) {
            if (now - e.idleSince <= m_limits.idleTimeout)
                return false;
            out.push_back(std::move(e.item));
            return true;
        });
    }

    void dropOldestLocked(const std::string *key, std::vector<std::unique_ptr<T>> &out)
    {
        for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
            if (!key || it->key == *key) {
                out.push_back(std::move(it->item));
                m_entries.erase(it);
                ++m_dropped;
                return;
            }
        }
    }

    const IdlePoolLimits m_limits;
    mutable std::mutex m_mutex;
    std::vector<Entry> m_entries;
    std::uint64_t m_dropped = 0;
    bool m_closed = false;
};

} // namespace pulse
