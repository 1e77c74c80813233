// NameResolver: a cache, a queue of names and a few detached threads that run the lookups.
//
//   resolve(host) --numeric--> done(host)
//        |--cached, fresh--> done(answer)
//        |--lookup already queued or running--> waiters[host] += done
//        '--else--> queue += host, waiters[host] = {done} --thread--> lookup(host) --> cache, done(...) for each waiter
//
// The threads are detached and hold the state by shared_ptr: a getaddrinfo stuck for its full
// timeout must not hold up shutdown. `closed` (under the mutex) stops callbacks once the owner is gone.
#include "collectors/name_resolver.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace pulse {

namespace {

using Clock = std::chrono::steady_clock;

bool isNumericHost(const std::string &host)
{
    in6_addr v6{};
    in_addr v4{};
    return inet_pton(AF_INET, host.c_str(), &v4) == 1 || inet_pton(AF_INET6, host.c_str(), &v6) == 1;
}

} // namespace

struct NameResolver::State {
    struct Entry {
        Result<std::vector<std::string>> answer;
        Clock::time_point expires;
    };

    Lookup lookup;
    std::mutex mutex;
    std::condition_variable wake;
    bool closed = false;
    std::size_t threads = 0;
    std::size_t idle = 0;
    std::size_t lookups = 0;
    std::deque<std::string> queue;
    std::unordered_map<std::string, std::vector<Done>> waiters; // names queued or being looked up
    std::unordered_map<std::string, Entry> cache;

    /// run is a lookup thread's loop. Holds `self` so the state outlives the NameResolver.
    static void run(const std::shared_ptr<State> &self)
    {
        std::unique_lock lock(self->mutex);
        for (;;) {
            ++self->idle;
            self->wake.wait(lock, [&] { return self->closed || !self->queue.empty(); });
            --self->idle;
            if (self->closed)
                return;
            const std::string host = std::move(self->queue.front());
            self->queue.pop_front();
            ++self->lookups;
            lock.unlock();
            Result<std::vector<std::string>> answer = self->lookup(host);
            lock.lock();
            if (self->closed)
                return;
            const long ttl = answer ? kPositiveTtlMs : kNegativeTtlMs;
            self->cache.insert_or_assign(host, Entry{answer, Clock::now() + std::chrono::milliseconds(ttl)});
            auto waiting = self->waiters.extract(host);
            // Callbacks run under the lock so that none runs once the destructor has taken it; they
            // only post to an event loop.
            if (!waiting.empty())
                for (const Done &done : waiting.mapped())
                    done(answer);
        }
    }
};

NameResolver::NameResolver(Lookup lookup) : m_state(std::make_shared<State>())
{
    m_state->lookup = lookup ? std::move(lookup) : Lookup(&NameResolver::systemLookup);
}

NameResolver::~NameResolver()
{
    std::lock_guard lock(m_state->mutex);
    m_state->closed = true;
    m_state->waiters.clear();
    m_state->wake.notify_all();
}

void NameResolver::resolve(const std::string &host, Done done)
{
    if (isNumericHost(host)) {
        done(std::vector<std::string>{host});
        return;
    }
    std::unique_lock lock(m_state->mutex);
    if (auto it = m_state->cache.find(host); it != m_state->cache.end()) {
        if (Clock::now() < it->second.expires) {
            const Result<std::vector<std::string>> answer = it->second.answer;
            lock.unlock();
            done(answer);
            return;
        }
        m_state->cache.erase(it);
    }
    if (auto it = m_state->waiters.find(host); it != m_state->waiters.end()) {
        it->second.push_back(std::move(done));
        return;
    }
    if (m_state->queue.size() >= kMaxQueued) {
        lock.unlock();
        done(fail("more than " + std::to_string(kMaxQueued) + " host names waiting to be resolved"));
        return;
    }
    m_state->waiters[host].push_back(std::move(done));
    m_state->queue.push_back(host);
    // A thread for each name waiting beyond the idle ones (woken threads count as idle until they run).
    if (m_state->queue.size() > m_state->idle && m_state->threads < kThreads) {
        ++m_state->threads;
        std::thread([state = m_state] { State::run(state); }).detach();
    } else {
        m_state->wake.notify_one();
    }
}

std::size_t NameResolver::lookups() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->lookups;
}

Result<std::vector<std::string>> NameResolver::systemLookup(const std::string &host)
{
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *list = nullptr;
    const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &list);
    if (rc != 0)
        return fail("cannot resolve " + host + ": " + ::gai_strerror(rc));
    std::vector<std::string> out;
    for (const addrinfo *a = list; a != nullptr && out.size() < 16; a = a->ai_next) {
        char text[INET6_ADDRSTRLEN] = {};
        const void *addr =
            a->ai_family == AF_INET
                ? static_cast<const void *>(&reinterpret_cast<const sockaddr_in *>(a->ai_addr)->sin_addr)
                : static_cast<const void *>(&reinterpret_cast<const sockaddr_in6 *>(a->ai_addr)->sin6_addr);
        if ((a->ai_family == AF_INET || a->ai_family == AF_INET6) && ::inet_ntop(a->ai_family, addr, text, sizeof text))
            if (std::find(out.begin(), out.end(), text) == out.end())
                out.emplace_back(text);
    }
    ::freeaddrinfo(list);
    if (out.empty())
        return fail("cannot resolve " + host + ": no IPv4 or IPv6 address");
    return out;
}

} // namespace pulse
