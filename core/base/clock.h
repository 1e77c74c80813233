// Injectable time: everything that schedules or ages data asks a Clock, so tests never sleep.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace pulse {

/// Clock answers "now" in milliseconds since the Unix epoch. Implementations must be thread-safe.
///
/// Code that waits for a moment (the Scheduler's next slot) waits on a real timer for a clock that
/// moves by itself, and re-checks when told for one that does not (ManualClock): a test moves the
/// clock and the work that fell due runs at once, with no sleeping.
class Clock {
public:
    virtual ~Clock() = default;
    virtual std::int64_t nowMs() const = 0;

    /// movesByItself is false for a clock that only moves when told; waiting for it on a real
    /// timer would be waiting for nothing.
    virtual bool movesByItself() const { return true; }

    /// watchMoves calls `moved` after each move of a clock that does not move by itself, on the
    /// thread that moved it, until the returned handle is released. A clock that moves by itself
    /// returns an empty handle and never calls it. `moved` must not move the clock.
    // By value: an override keeps it. NOLINTNEXTLINE(performance-unnecessary-value-param)
    [[nodiscard]] virtual std::shared_ptr<void> watchMoves(std::function<void()> moved) const
    {
        (void)moved;
        return {};
    }
};

/// SystemClock is the wall clock.
class SystemClock final : public Clock {
public:
    std::int64_t nowMs() const override
    {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
};

/// ManualClock is a Clock that tests move by hand; set() and advance() tell its watchers.
class ManualClock final : public Clock {
public:
    explicit ManualClock(std::int64_t startMs = 0) : m_now(startMs) {}
    std::int64_t nowMs() const override { return m_now.load(); }
    bool movesByItself() const override { return false; }
    std::shared_ptr<void> watchMoves(std::function<void()> moved) const override
    {
        auto watcher = std::make_shared<std::function<void()>>(std::move(moved));
        std::lock_guard lock(m_mutex);
        m_watchers.push_back(watcher);
        return watcher;
    }
    void set(std::int64_t ms)
    {
        m_now.store(ms);
        notify();
    }
    void advance(std::int64_t ms)
    {
        m_now.fetch_add(ms);
        notify();
    }

private:
    // Calls the live watchers outside the lock (a watcher may take locks of its own), dropping
    // the released ones.
    void notify() const
    {
        std::vector<std::shared_ptr<std::function<void()>>> live;
        {
            std::lock_guard lock(m_mutex);
            std::erase_if(m_watchers, [&](const auto &weak) {
                auto strong = weak.lock();
                if (!strong)
                    return true;
                live.push_back(std::move(strong));
                return false;
            });
        }
        for (const auto &watcher : live)
            (*watcher)();
    }

    std::atomic<std::int64_t> m_now;
    mutable std::mutex m_mutex;
    mutable std::vector<std::weak_ptr<std::function<void()>>> m_watchers; // guarded by m_mutex
};

} // namespace pulse
