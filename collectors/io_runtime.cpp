// IoRuntime: starts and stops the collectors' I/O threads.
#include "collectors/detail/asio_access.h"

#include <boost/asio/post.hpp>

#include <pthread.h>
#include <sys/resource.h>

namespace pulse {

IoRuntime::IoRuntime(int threads) : m_impl(std::make_unique<Impl>())
{
    for (int i = 0; i < std::max(1, threads); ++i)
        m_impl->threads.emplace_back([this] {
            // Named so per-thread CPU (top -H, /proc/PID/task) tells scraping from the GUI and writer.
            pthread_setname_np(pthread_self(), "pulse-io");
            m_impl->io.run();
        });
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
}

void IoRuntime::post(std::function<void()> fn)
{
    boost::asio::post(m_impl->io, std::move(fn));
}

void IoRuntime::stop()
{
    m_impl->work.reset();
    m_impl->io.stop();
    for (auto &t : m_impl->threads)
        if (t.joinable())
            t.join();
    m_impl->threads.clear();
}

} // namespace pulse
