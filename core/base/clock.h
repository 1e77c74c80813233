// Injectable time: everything that schedules or ages data asks a Clock, so tests never sleep.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace pulse {

/// Clock answers "now" in milliseconds since the Unix epoch. Implementations must be thread-safe.
class Clock {
public:
    virtual ~Clock() = default;
    virtual std::int64_t nowMs() const = 0;
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

/// ManualClock is a Clock that tests move by hand.
class ManualClock final : public Clock {
public:
    explicit ManualClock(std::int64_t startMs = 0) : m_now(startMs) {}
    std::int64_t nowMs() const override { return m_now.load(); }
    void set(std::int64_t ms) { m_now.store(ms); }
    void advance(std::int64_t ms) { m_now.fetch_add(ms); }

private:
    std::atomic<std::int64_t> m_now;
};

} // namespace pulse
