// LogFileWatch: an inotify descriptor read through Asio on the log collector's thread.
#include "collectors/log_file_watch.h"

#include "collectors/detail/asio_access.h"
#include "collectors/io_runtime.h"

#include <boost/asio/posix/stream_descriptor.hpp>

#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <map>
#include <vector>

namespace pulse {

namespace asio = boost::asio;

struct LogFileWatch::Impl {
    explicit Impl(asio::io_context &io) : stream(io) {}

    void read()
    {
        // A raw pointer: handlers run only on the runtime's threads, which stop before close(), and
        // one left queued then is destroyed with the runtime without being run.
        stream.async_read_some(asio::buffer(buffer), [self = this](boost::system::error_code ec, std::size_t n) {
            if (ec)
                return; // closed, or the descriptor failed: polling carries on alone
            self->dispatch(n);
            self->read();
        });
    }

    // dispatch walks the events in buffer[0, n) and calls the callbacks of their directories.
    void dispatch(std::size_t n)
    {
        std::size_t at = 0;
        while (at + sizeof(inotify_event) <= n) {
            inotify_event event{};
            std::memcpy(&event, buffer.data() + at, sizeof event);
            const std::size_t next = at + sizeof(inotify_event) + event.len;
            if (next > n)
                break;
            std::string_view name(buffer.data() + at + sizeof(inotify_event), event.len);
            name = name.substr(0, name.find('\0'));
            if (event.mask & IN_Q_OVERFLOW) {
                for (auto &[wd, callbacks] : watches)
                    for (const Callback &c : callbacks)
                        c({});
            } else if (auto it = watches.find(event.wd); it != watches.end()) {
                for (const Callback &c : it->second)
                    c(name);
            }
            at = next;
        }
    }

    asio::posix::stream_descriptor stream;
    std::map<int, std::vector<Callback>> watches; // by watch descriptor; read on the I/O thread after start()
    alignas(inotify_event) std::array<char, 16 * 1024> buffer{};
};

LogFileWatch::LogFileWatch(IoRuntime &runtime) : m_impl(std::make_unique<Impl>(ioContext(runtime)))
{
    const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd >= 0)
        m_impl->stream.assign(fd);
}

LogFileWatch::~LogFileWatch()
{
    close();
}

bool LogFileWatch::watch(const std::string &directory, Callback callback)
{
    if (!m_impl->stream.is_open())
        return false;
    constexpr std::uint32_t kMask =
        IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CLOSE_WRITE | IN_ATTRIB | IN_ONLYDIR;
    const int wd = ::inotify_add_watch(m_impl->stream.native_handle(), directory.c_str(), kMask);
    if (wd < 0)
        return false;
    m_impl->watches[wd].push_back(std::move(callback));
    return true;
}

void LogFileWatch::start()
{
    if (m_impl->stream.is_open() && !m_impl->watches.empty())
        m_impl->read();
}

void LogFileWatch::close()
{
    boost::system::error_code ignored;
    m_impl->stream.close(ignored);
}

} // namespace pulse
