// DemoServer implementation: a small Boost.Beast HTTP/1.1 server with keep-alive, deadlines on
// every read and write, request size limits, and a 250 ms tick that advances the simulation and
// appends its log lines to the log files.
//
// Listener states (driven by the tick):
//
//     [listening] --refusingConnections(now)--> [closed]  (closeListener; new connects are refused)
//     [closed] ----incident over--------------> [listening] (openListener on the same port)
#include "demo/demo_server.h"

#include <utility> // Boost 1.74's Asio needs it before its headers with GCC 12.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

namespace pulse::demo {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTick = std::chrono::milliseconds(250);
constexpr auto kIoDeadline = std::chrono::seconds(15);
constexpr std::uint64_t kMaxRequestBody = 64 * 1024;
constexpr std::uint32_t kMaxRequestHeader = 16 * 1024;

} // namespace

// Handlers capture a plain `this`: stop() joins the I/O thread before Impl is destroyed, and the
// io_context (a member) destroys any handler still queued.
class DemoServer::Impl {
public:
    explicit Impl(DemoServerOptions options)
        : m_options(std::move(options)),
          m_clock(m_options.clock ? m_options.clock : &m_systemClock),
          m_sim(m_options.simulation, m_clock->nowMs()),
          m_acceptor(m_io),
          m_tick(m_io),
          m_endTimer(m_io)
    {
    }

    Result<std::string> start();
    void stop();
    void wait();
    std::uint16_t port() const { return m_port; }

    // Everything below runs on the I/O thread.
    HttpAnswer answer(const http::request<http::string_body> &req);
    bool refusing() const { return !m_listening; }

private:
    Result<void> openListener();
    void closeListener();
    void accept();
    void onTick();
    void flushLogs();
    void markStopped();

    DemoServerOptions m_options;
    SystemClock m_systemClock;
    const Clock *m_clock;
    DemoSimulator m_sim;
    asio::io_context m_io;
    tcp::acceptor m_acceptor;
    asio::steady_timer m_tick;
    asio::steady_timer m_endTimer;
    std::ofstream m_accessLog;
    std::ofstream m_appLog;
    std::uint16_t m_port = 0;
    bool m_listening = false;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_stoppedCv;
    bool m_stopped = false;
};

namespace {

/// Session serves one connection: read a request, answer, repeat while keep-alive.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, DemoServer::Impl *server) : m_stream(std::move(socket)), m_server(server)
    {
    }

    void start() { read(); }

private:
    void read()
    {
        m_parser.emplace();
        m_parser->body_limit(kMaxRequestBody);
        m_parser->header_limit(kMaxRequestHeader);
        m_stream.expires_after(kIoDeadline);
        http::async_read(m_stream, m_buffer, *m_parser,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onRead(ec); });
    }

    void onRead(beast::error_code ec)
    {
        if (ec == http::error::end_of_stream) {
            beast::error_code ignored;
            m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
            return;
        }
        if (ec == http::error::body_limit || ec == http::error::header_limit) {
            reply(HttpAnswer{413, "text/plain", "request too large\n"}, false);
            return;
        }
        if (ec)
            return;
        // During a refused-connections incident, connections that were already open are dropped too.
        if (m_server->refusing()) {
            beast::error_code ignored;
            m_stream.socket().close(ignored);
            return;
        }
        const auto &req = m_parser->get();
        reply(m_server->answer(req), req.keep_alive());
    }

    void reply(HttpAnswer a, bool keepAlive)
    {
        auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(a.status), 11);
        res->set(http::field::server, "pulsectl-demo");
        res->set(http::field::content_type, a.contentType);
        res->keep_alive(keepAlive);
        res->body() = std::move(a.body);
        res->prepare_payload();
        m_stream.expires_after(kIoDeadline);
        http::async_write(m_stream, *res,
                          [self = shared_from_this(), res, keepAlive](beast::error_code ec, std::size_t) {
                              if (ec)
                                  return;
                              if (keepAlive) {
                                  self->read();
                              } else {
                                  beast::error_code ignored;
                                  self->m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
                              }
                          });
    }

    beast::tcp_stream m_stream;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    DemoServer::Impl *m_server;
};

} // namespace

HttpAnswer DemoServer::Impl::answer(const http::request<http::string_body> &req)
{
    const std::int64_t now = m_clock->nowMs();
    m_sim.advanceTo(now);
    const std::string_view target(req.target().data(), req.target().size());
    const std::string_view path = target.substr(0, target.find('?'));
    const bool get = req.method() == http::verb::get || req.method() == http::verb::head;
    if (path == "/metrics" && get)
        return HttpAnswer{200, "text/plain; version=0.0.4; charset=utf-8", m_sim.metricsText()};
    if (path == "/health" && get)
        return m_sim.health(now);
    if (path == "/api/stats" && get)
        return m_sim.stats();
    if (path == "/graphql" && req.method() == http::verb::post)
        return m_sim.graphql(req.body());
    if (path == "/metrics" || path == "/health" || path == "/api/stats" || path == "/graphql")
        return HttpAnswer{405, "text/plain", "method not allowed\n"};
    if (path == "/")
        return HttpAnswer{200, "text/plain",
                          "pulsectl demo: GET /metrics, GET /health, GET /api/stats, POST /graphql\n"};
    return HttpAnswer{404, "text/plain", "not found\n"};
}

Result<void> DemoServer::Impl::openListener()
{
    beast::error_code ec;
    const auto address = asio::ip::make_address(m_options.host, ec);
    if (ec)
        return fail("bad listen address '" + m_options.host + "': " + ec.message());
    const tcp::endpoint endpoint(address, m_port ? m_port : m_options.port);
    m_acceptor.open(endpoint.protocol(), ec);
    if (!ec)
        m_acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec)
        m_acceptor.bind(endpoint, ec);
    if (!ec)
        m_acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        beast::error_code ignored;
        m_acceptor.close(ignored);
        return fail("cannot listen on " + m_options.host + ":" + std::to_string(endpoint.port()) + ": " +
                    ec.message());
    }
    m_port = m_acceptor.local_endpoint().port();
    m_listening = true;
    accept();
    return {};
}

void DemoServer::Impl::closeListener()
{
    beast::error_code ignored;
    m_acceptor.close(ignored);
    m_listening = false;
}

void DemoServer::Impl::accept()
{
    m_acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
        if (ec)
            return; // closed for an incident or for stop; the tick reopens it
        std::make_shared<Session>(std::move(socket), this)->start();
        accept();
    });
}

void DemoServer::Impl::onTick()
{
    const std::int64_t now = m_clock->nowMs();
    m_sim.advanceTo(now);
    flushLogs();
    const bool refuse = m_sim.refusingConnections(now);
    if (refuse && m_listening)
        closeListener();
    else if (!refuse && !m_listening)
        (void)openListener(); // if the port was taken meanwhile, try again next tick
    m_tick.expires_after(kTick);
    m_tick.async_wait([this](beast::error_code ec) {
        if (!ec)
            onTick();
    });
}

void DemoServer::Impl::flushLogs()
{
    auto access = m_sim.takeAccessLogLines();
    auto app = m_sim.takeAppLogLines();
    if (m_accessLog.is_open()) {
        for (const auto &l : access)
            m_accessLog << l << '\n';
        m_accessLog.flush();
    }
    if (m_appLog.is_open()) {
        for (const auto &l : app)
            m_appLog << l << '\n';
        m_appLog.flush();
    }
}

Result<std::string> DemoServer::Impl::start()
{
    if (!m_options.accessLogPath.empty()) {
        m_accessLog.open(m_options.accessLogPath, std::ios::app | std::ios::binary);
        if (!m_accessLog)
            return fail("cannot open access log '" + m_options.accessLogPath + "' for appending");
    }
    if (!m_options.appLogPath.empty()) {
        m_appLog.open(m_options.appLogPath, std::ios::app | std::ios::binary);
        if (!m_appLog)
            return fail("cannot open app log '" + m_options.appLogPath + "' for appending");
    }
    if (auto ok = openListener(); !ok)
        return std::unexpected(ok.error());
    m_tick.expires_after(kTick);
    m_tick.async_wait([this](beast::error_code ec) {
        if (!ec)
            onTick();
    });
    if (m_options.runForMs > 0) {
        m_endTimer.expires_after(std::chrono::milliseconds(m_options.runForMs));
        m_endTimer.async_wait([this](beast::error_code ec) {
            if (!ec)
                m_io.stop();
        });
    }
    m_thread = std::thread([this] {
        // A throwing handler is reported and the server goes on serving (see IoRuntime's runLoop).
        for (bool done = false; !done;) {
            try {
                m_io.run();
                done = true;
            } catch (const std::exception &e) {
                std::fprintf(stderr, "demo server: an exception escaped a handler: %s\n", e.what());
            }
        }
        flushLogs();
        markStopped();
    });
    return m_options.host + ":" + std::to_string(m_port);
}

void DemoServer::Impl::markStopped()
{
    std::lock_guard lock(m_mutex);
    m_stopped = true;
    m_stoppedCv.notify_all();
}

void DemoServer::Impl::wait()
{
    std::unique_lock lock(m_mutex);
    m_stoppedCv.wait(lock, [this] { return m_stopped; });
}

void DemoServer::Impl::stop()
{
    m_io.stop();
    if (m_thread.joinable())
        m_thread.join();
    beast::error_code ignored;
    m_acceptor.close(ignored);
}

DemoServer::DemoServer(DemoServerOptions options) : m_impl(std::make_unique<Impl>(std::move(options))) {}

DemoServer::~DemoServer()
{
    stop();
}

Result<std::string> DemoServer::start()
{
    return m_impl->start();
}

void DemoServer::stop()
{
    m_impl->stop();
}

void DemoServer::wait()
{
    m_impl->wait();
}

std::uint16_t DemoServer::port() const
{
    return m_impl->port();
}

} // namespace pulse::demo
