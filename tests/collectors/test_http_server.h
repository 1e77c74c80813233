// TestHttpServer: a scripted loopback TCP server for HTTP client tests — it can misbehave on purpose.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace pulse::test {

/// TestHttpServer accepts connections on 127.0.0.1 (free port) and hands each to `behaviour`: on
/// the server thread, one at a time (Serial), or each on a thread of its own (ThreadPerConnection,
/// for behaviours that outlast their client, like a slow drip). The behaviour gets the socket, the
/// request head it read, and the server (to poll stopping()).
class TestHttpServer {
public:
    using Behaviour = std::function<void(int fd, const std::string &requestHead, const TestHttpServer &self)>;
    enum class Mode { Serial, ThreadPerConnection };

    explicit TestHttpServer(Behaviour behaviour, Mode mode = Mode::Serial);
    ~TestHttpServer();

    std::uint16_t port() const { return m_port; }
    std::string url(const std::string &path = "/") const;

    /// sendAll writes every byte (ignoring a peer that went away).
    static void sendAll(int fd, const std::string &bytes);
    /// stopping is true once the destructor has begun; long behaviours poll it.
    bool stopping() const { return m_stop.load(); }

private:
    /// serve reads the request head, runs the behaviour and closes the connection.
    void serve(int fd);

    Behaviour m_behaviour;
    Mode m_mode;
    std::vector<std::thread> m_connections; ///< ThreadPerConnection: touched by the accept thread only
    int m_listenFd = -1;
    std::uint16_t m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

/// waitForClose keeps a connection open until the client closes it or the server stops.
void waitForClose(int fd, const TestHttpServer &server);

/// acceptsConnections tells whether something listens on 127.0.0.1:port (a server started in
/// another process, such as `openssl s_server`, is ready).
bool acceptsConnections(std::uint16_t port);

/// readHead reads the next request head on a kept-alive connection; empty when the peer closed or
/// nothing came within a second.
std::string readHead(int fd);

} // namespace pulse::test
