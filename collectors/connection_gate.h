// ConnectionGate: a global bound on HTTP connections in flight, with a FIFO of requests waiting for one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace pulse {

/// ConnectionGate hands out at most `limit` slots at a time. A request holds a slot from the moment it
/// takes or opens a connection until that connection goes back to the idle pool or is closed, so
/// however many targets are due at once, no more sockets than that are busy (each is a file
/// descriptor, and the open-file limit is finite). A request that finds every slot taken waits in
/// arrival order; freeing a slot hands it straight to the oldest waiter.
///
///   acquire --free slot--> Slot (held) --~Slot--> next waiter's grant, or the count goes down
///       \--none free--> Ticket (waiting) --a slot frees--> grant(Slot)
///                                        \--cancel(ticket)--> removed; grant is never called
///                                        \--close()--------> grant(nullopt)
///
/// Thread-safe. `grant` runs on whichever thread frees the slot, outside the gate's lock: it must only
/// hand the slot on (post it to the waiter's executor), never block. Slots keep the gate alive.
class ConnectionGate : public std::enable_shared_from_this<ConnectionGate> {
public:
    /// Slot is one connection's place under the limit; destroying it frees the place.
    class Slot {
    public:
        Slot() = default;
        Slot(Slot &&other) noexcept : m_gate(std::move(other.m_gate)) {}
        Slot &operator=(Slot &&other) noexcept;
        Slot(const Slot &) = delete;
        Slot &operator=(const Slot &) = delete;
        ~Slot() { reset(); }
        /// reset frees the place now (no-op for an empty Slot).
        void reset();
        explicit operator bool() const { return m_gate != nullptr; }

    private:
        friend class ConnectionGate;
        explicit Slot(std::shared_ptr<ConnectionGate> gate) : m_gate(std::move(gate)) {}
        std::shared_ptr<ConnectionGate> m_gate;
    };

    using Ticket = std::uint64_t;
    /// Grant receives the slot, or nullopt when the gate closed while the request waited.
    using Grant = std::function<void(std::optional<Slot>)>;

    /// create makes a gate; `limit` is at least 1. Gates live in a shared_ptr (slots keep theirs alive).
    static std::shared_ptr<ConnectionGate> create(std::size_t limit, std::size_t maxWaiting);

    /// Acquired is either a slot now (`slot` is set) or a place in the queue (`ticket`); `refused`
    /// when the queue already holds maxWaiting requests.
    struct Acquired {
        Slot slot;
        Ticket ticket = 0;
        bool refused = false;
    };
    /// acquire takes a free slot or queues `grant`.
    Acquired acquire(Grant grant);
    /// cancel removes a waiting request; false when its grant has already been (or is being) called.
    bool cancel(Ticket ticket);
    /// close answers every waiter with nullopt and refuses later requests; slots in use stay valid.
    void close();

    std::size_t limit() const { return m_limit; }
    std::size_t inFlight() const;
    std::size_t waiting() const;
    /// waits counts requests that had to queue for a slot (a sign the limit is too low).
    std::uint64_t waits() const;

private:
    ConnectionGate(std::size_t limit, std::size_t maxWaiting) : m_limit(limit), m_maxWaiting(maxWaiting) {}
    void release();

    struct Waiter {
        Ticket ticket;
        Grant grant;
    };
    const std::size_t m_limit;
    const std::size_t m_maxWaiting;
    mutable std::mutex m_mutex;
    std::size_t m_inFlight = 0;
    std::deque<Waiter> m_waiters;
    Ticket m_nextTicket = 1;
    std::uint64_t m_waits = 0;
    bool m_closed = false;
};

} // namespace pulse
