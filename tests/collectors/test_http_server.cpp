// TestHttpServer: blocking POSIX sockets; one client at a time on its thread, or a thread per connection.
#include "test_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace pulse::test {

TestHttpServer::TestHttpServer(Behaviour behaviour, Mode mode) : m_behaviour(std::move(behaviour)), m_mode(mode)
{
    m_listenFd = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(m_listenFd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(m_listenFd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
    ::listen(m_listenFd, 16);
    socklen_t len = sizeof addr;
    ::getsockname(m_listenFd, reinterpret_cast<sockaddr *>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_thread = std::thread([this] {
        while (!m_stop) {
            pollfd p{m_listenFd, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0)
                continue;
            const int fd = ::accept(m_listenFd, nullptr, nullptr);
            if (fd < 0)
                continue;
            if (m_mode == Mode::ThreadPerConnection)
                m_connections.emplace_back([this, fd] { serve(fd); });
            else
                serve(fd);
        }
        for (std::thread &t : m_connections)
            t.join();
    });
}

void TestHttpServer::serve(int fd)
{
    std::string head;
    char buf[4096];
    while (head.find("\r\n\r\n") == std::string::npos && !m_stop) {
        pollfd q{fd, POLLIN, 0};
        if (::poll(&q, 1, 2000) <= 0)
            break;
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        head.append(buf, static_cast<std::size_t>(n));
    }
    if (m_behaviour)
        m_behaviour(fd, head, *this);
    ::close(fd);
}

TestHttpServer::~TestHttpServer()
{
    m_stop = true;
    m_thread.join();
    ::close(m_listenFd);
}

std::string TestHttpServer::url(const std::string &path) const
{
    return "http://127.0.0.1:" + std::to_string(m_port) + path;
}

void TestHttpServer::sendAll(int fd, const std::string &bytes)
{
    std::size_t off = 0;
    while (off < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
        if (n <= 0)
            return;
        off += static_cast<std::size_t>(n);
    }
}

void waitForClose(int fd, const TestHttpServer &server)
{
    char buf[256];
    while (!server.stopping()) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 20) > 0 && ::recv(fd, buf, sizeof buf, 0) <= 0)
            return;
    }
}

std::string readHead(int fd)
{
    std::string head;
    char c = 0;
    while (head.find("\r\n\r\n") == std::string::npos) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 1000) <= 0 || ::recv(fd, &c, 1, 0) != 1)
            return {};
        head += c;
    }
    return head;
}

bool acceptsConnections(std::uint16_t port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

} // namespace pulse::test
