// ConnectionGate: the slot count and the waiters' queue (see connection_gate.h).
#include "collectors/connection_gate.h"

#include <algorithm>
#include <utility>

namespace pulse {

ConnectionGate::Slot &ConnectionGate::Slot::operator=(Slot &&other) noexcept
{
    if (this != &other) {
        reset();
        m_gate = std::move(other.m_gate);
    }
    return *this;
}

void ConnectionGate::Slot::reset()
{
    if (auto gate = std::move(m_gate))
        gate->release();
}

std::shared_ptr<ConnectionGate> ConnectionGate::create(std::size_t limit, std::size_t maxWaiting)
{
    return std::shared_ptr<ConnectionGate>(new ConnectionGate(std::max<std::size_t>(1, limit), maxWaiting));
}

ConnectionGate::Acquired ConnectionGate::acquire(Grant grant)
{
    Acquired result;
    std::lock_guard lock(m_mutex);
    if (m_inFlight < m_limit && m_waiters.empty()) {
        ++m_inFlight;
        result.slot = Slot(shared_from_this());
        return result;
    }
    if (m_closed || m_waiters.size() >= m_maxWaiting) {
        result.refused = true;
        return result;
    }
    result.ticket = m_nextTicket++;
    ++m_waits;
    m_waiters.push_back({result.ticket, std::move(grant)});
    return result;
}

bool ConnectionGate::cancel(Ticket ticket)
{
    Grant dropped; // destroyed outside the lock: it may own the waiting request
    std::lock_guard lock(m_mutex);
    auto it = std::find_if(m_waiters.begin(), m_waiters.end(), [ticket](const Waiter &w) { return w.ticket == ticket; });
    if (it == m_waiters.end())
        return false;
    dropped = std::move(it->grant);
    m_waiters.erase(it);
    return true;
}

void ConnectionGate::release()
{
    Grant next;
    {
        std::lock_guard lock(m_mutex);
        if (m_waiters.empty() || m_closed) {
            --m_inFlight;
            return;
        }
        next = std::move(m_waiters.front().grant);
        m_waiters.pop_front();
    }
    // The place passes to the oldest waiter without the count going down, so a request arriving now
    // cannot take it first.
    next(Slot(shared_from_this()));
}

void ConnectionGate::close()
{
    std::deque<Waiter> waiters;
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        waiters.swap(m_waiters);
    }
    for (Waiter &w : waiters)
        w.grant(std::nullopt);
}

std::size_t ConnectionGate::inFlight() const
{
    std::lock_guard lock(m_mutex);
    return m_inFlight;
}

std::size_t ConnectionGate::waiting() const
{
    std::lock_guard lock(m_mutex);
    return m_waiters.size();
}

std::uint64_t ConnectionGate::waits() const
{
    std::lock_guard lock(m_mutex);
    return m_waits;
}

} // namespace pulse
