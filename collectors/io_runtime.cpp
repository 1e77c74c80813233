// IoRuntime: starts and stops the collectors' I/O threads.
#include "collectors/detail/asio_access.h"

#include <boost/asio/post.hpp>

namespace pulse {

IoRuntime::IoRuntime(int threads) : m_impl(std::make_unique<Impl>())
{
    for (int i = 0; i < std::max(1, threads); ++i)
        m_impl->threads.emplace_back([this] { m_impl->io.run(); });
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
