// IoRuntime: starts and stops the collectors' I/O threads, one io_context each.
#include "collectors/detail/asio_access.h"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <cstdio>

#include <pthread.h>
#include <sys/resource.h>

namespace pulse {

namespace {
// The loop the calling thread runs, if any (set once by each I/O thread before it runs its loop).
thread_local const IoRuntime::Impl::Loop *t_loop = nullptr;
} // namespace

IoRuntime::Impl::Loop *IoRuntime::Impl::current() const
{
    for (const auto &loop : loops)
        if (loop.get() == t_loop)
            return loop.get();
    return nullptr;
}

boost::asio::io_context &IoRuntime::Impl::pick()
{
    if (Loop *own = current())
        return own->io;
    return loops[next.fetch_add(1, std::memory_order_relaxed) % loops.size()]->io;
}

boost::asio::io_context &IoRuntime::Impl::pickFor(std::size_t key)
{
    if (Loop *own = current())
        return own->io;
    return loops[key % loops.size()]->io;
}

std::size_t IoRuntime::Impl::indexOf(const boost::asio::io_context &io) const
{
    for (std::size_t i = 0; i < loops.size(); ++i)
        if (&loops[i]->io == &io)
            return i;
    return 0;
}

namespace {

/// runLoop runs `io` until it stops. A handler that throws (nothing should: errors are values) must
/// neither end the process (std::terminate, from a thread) nor stop its loop and with it every target
/// scheduled there: the exception is reported on stderr and the loop goes on, as Asio allows.
void runLoop(boost::asio::io_context &io, const char *threadName)
{
    for (;;) {
        try {
            io.run();
            return;
        } catch (const std::exception &e) {
            std::fprintf(stderr, "%s: an exception escaped an I/O handler (the loop goes on): %s\n", threadName,
                         e.what());
        } catch (...) {
            std::fprintf(stderr, "%s: an unknown exception escaped an I/O handler (the loop goes on)\n", threadName);
        }
    }
}

} // namespace

IoRuntime::IoRuntime(int threads, const char *threadName) : m_impl(std::make_unique<Impl>())
{
    for (int i = 0; i < std::max(1, threads); ++i)
        m_impl->loops.push_back(std::make_unique<Impl::Loop>());
    // Threads start only once every loop exists: pick() and current() read the vector unlocked.
    for (auto &loop : m_impl->loops) {
        Impl::Loop *self = loop.get();
        loop->thread = std::thread([self, threadName] {
            // Named so per-thread CPU (top -H, /proc/PID/task) tells scraping from the GUI and writer.
            pthread_setname_np(pthread_self(), threadName);
            t_loop = self;
            runLoop(self->io, threadName);
        });
    }
}

int IoRuntime::defaultThreads()
{
    const unsigned hardware = std::thread::hardware_concurrency();
    return std::clamp(static_cast<int>(hardware / 2), 1, 4);
}

std::uint64_t raiseOpenFileLimit()
{
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0)
        return 0;
    if (lim.rlim_cur < lim.rlim_max) {
        rlimit raised = lim;
        raised.rlim_cur = lim.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
            lim = raised;
    }
    return lim.rlim_cur;
}

IoRuntime::~IoRuntime()
{
    stop();
    for (auto &loop : m_impl->loops)
        loop->io.shutdownHandlers();
}

void IoRuntime::post(std::function<void()> fn)
{
    boost::asio::post(m_impl->pick(), std::move(fn));
}

void IoRuntime::stop()
{
    for (auto &loop : m_impl->loops) {
        loop->work.reset();
        loop->io.stop();
    }
    for (auto &loop : m_impl->loops)
        if (loop->thread.joinable())
            loop->thread.join();
}

} // namespace pulse
