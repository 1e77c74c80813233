// TestReceiver: a loopback HTTP receiver for notification tests — records the JSON bodies POSTed to
// it, and can answer 503 (down) or 400 (refusing the next one) instead.
#pragma once

#include "tests/collectors/test_http_server.h"

#include <QByteArray>
#include <QJsonDocument>

#include <atomic>
#include <mutex>
#include <string>
#include <sys/socket.h>
#include <vector>

namespace pulse::test {

class TestReceiver {
public:
    TestReceiver() : m_server([this](int fd, const std::string &head, const TestHttpServer &) { serve(fd, head); }) {}

    std::string url(const std::string &path) const { return m_server.url(path); }
    void setDown(bool down) { m_down = down; }
    /// refuseNext answers the next request 400 Bad Request.
    void refuseNext() { m_refuseNext = true; }
    /// refused counts the requests answered 503 or 400.
    int refused() const { return m_refused; }
    std::vector<QJsonDocument> bodies() const
    {
        std::lock_guard lock(m_mutex);
        return m_bodies;
    }
    /// paths are the request targets of the accepted requests.
    std::vector<std::string> paths() const
    {
        std::lock_guard lock(m_mutex);
        return m_paths;
    }

private:
    void serve(int fd, const std::string &head)
    {
        std::size_t length = 0;
        if (const auto at = head.find("Content-Length: "); at != std::string::npos)
            length = std::stoul(head.substr(at + 16));
        // The server's first reads may have taken some of the body along with the head.
        const std::size_t end = head.find("\r\n\r\n");
        std::string body = end == std::string::npos ? std::string() : head.substr(end + 4);
        char buffer[4096];
        while (body.size() < length) {
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0)
                break;
            body.append(buffer, std::size_t(n));
        }
        if (m_refuseNext.exchange(false)) {
            ++m_refused;
            TestHttpServer::sendAll(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        }
        if (m_down) {
            ++m_refused;
            TestHttpServer::sendAll(
                fd, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        }
        {
            std::lock_guard lock(m_mutex);
            m_bodies.push_back(QJsonDocument::fromJson(QByteArray::fromStdString(body)));
            const std::size_t start = head.find(' ') + 1;
            m_paths.push_back(head.substr(start, head.find(' ', start) - start));
        }
        TestHttpServer::sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    }

    mutable std::mutex m_mutex;
    std::vector<QJsonDocument> m_bodies;
    std::vector<std::string> m_paths;
    std::atomic<bool> m_down{false};
    std::atomic<bool> m_refuseNext{false};
    std::atomic<int> m_refused{0};
    TestHttpServer m_server;
};

} // namespace pulse::test
