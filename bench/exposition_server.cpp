// ExpositionServer implementation: one io_context on the caller's thread, an accept loop, and one
// keep-alive Session per connection (read request, write the path's body, repeat), each operation
// under a deadline.
#include "exposition_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <charconv>
#include <csignal>
#include <string_view>

namespace pulse::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kIdleDeadline = std::chrono::seconds(30);

} // namespace

std::string makeTargetExposition(int index)
{
    const std::string shard = "shard=\"" + std::to_string(index) + "\"";
    std::string out;
    out += "# HELP http_requests_total Requests handled, by method and status code.\n";
    out += "# TYPE http_requests_total counter\n";
    int n = 0;
    for (const char *method : {"GET", "POST", "PUT", "DELETE"}) {
        for (const char *code : {"200", "404", "500"}) {
            out += "http_requests_total{" + shard + ",method=\"" + method + "\",code=\"" + code + "\"} " +
                   std::to_string(1000 * index + 37 * ++n) + "\n";
        }
    }
    out += "# HELP http_request_duration_seconds Request latency.\n";
    out += "# TYPE http_request_duration_seconds histogram\n";
    long cumulative = 0;
    for (const char *le : {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"}) {
        cumulative += 17 + index % 7;
        out += "http_request_duration_seconds_bucket{" + shard + ",le=\"" + le + "\"} " + std::to_string(cumulative) +
               "\n";
    }
    out += "http_request_duration_seconds_sum{" + shard + "} 42.125\n";
    out += "http_request_duration_seconds_count{" + shard + "} " + std::to_string(cumulative) + "\n";
    out += "# HELP rpc_duration_seconds RPC latency quantiles.\n# TYPE rpc_duration_seconds summary\n";
    for (const char *q : {"0.5", "0.9", "0.99"})
        out += "rpc_duration_seconds{" + shard + ",quantile=\"" + q + "\"} 0.0" + std::to_string(3 + index % 5) + "\n";
    out += "rpc_duration_seconds_sum{" + shard + "} 1.75e+03\nrpc_duration_seconds_count{" + shard + "} 2693\n";
    out += "# HELP queue_depth Items waiting, per queue.\n# TYPE queue_depth gauge\n";
    for (int q = 0; q < 21; ++q)
        out += "queue_depth{" + shard + ",queue=\"q" + std::to_string(q) + "\"} " +
               std::to_string((q * 7 + index) % 50) + "\n";
    return out;
}

struct ExpositionServer::Impl {
    explicit Impl(std::vector<std::string> b) : bodies(std::move(b)), acceptor(io) {}

    void accept();
    const std::string *bodyFor(std::string_view target) const;

    std::vector<std::string> bodies;
    asio::io_context io;
    tcp::acceptor acceptor;
    std::atomic<std::uint64_t> requests{0};
};

namespace {

// Session serves one connection; it lives while a read or write is in flight (shared_from_this).
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, ExpositionServer::Impl &server) : m_stream(std::move(socket)), m_server(server) {}

    void read()
    {
        m_request = {};
        m_stream.expires_after(kIdleDeadline);
        http::async_read(m_stream, m_buffer, m_request,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) { self->answer(ec); });
    }

private:
    void answer(beast::error_code ec)
    {
        if (ec) {
            m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
            return;
        }
        m_server.requests.fetch_add(1, std::memory_order_relaxed);
        m_response = {};
        m_response.version(m_request.version());
        m_response.keep_alive(m_request.keep_alive());
        if (const std::string *body =
                m_server.bodyFor(std::string_view(m_request.target().data(), m_request.target().size()))) {
            m_response.result(http::status::ok);
            m_response.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
            m_response.body() = *body;
        } else {
            m_response.result(http::status::not_found);
        }
        m_response.prepare_payload();
        m_stream.expires_after(kIdleDeadline);
        http::async_write(m_stream, m_response, [self = shared_from_this()](beast::error_code wec, std::size_t) {
            if (wec)
                return;
            if (!self->m_response.keep_alive()) {
                self->m_stream.socket().shutdown(tcp::socket::shutdown_send, wec);
                return;
            }
            self->read();
        });
    }

    beast::tcp_stream m_stream;
    ExpositionServer::Impl &m_server;
    beast::flat_buffer m_buffer;
    http::request<http::empty_body> m_request;
    http::response<http::string_body> m_response;
};

} // namespace

void ExpositionServer::Impl::accept()
{
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted)
            return;
        if (!ec)
            std::make_shared<Session>(std::move(socket), *this)->read();
        accept();
    });
}

const std::string *ExpositionServer::Impl::bodyFor(std::string_view target) const
{
    constexpr std::string_view prefix = "/t/";
    if (!target.starts_with(prefix))
        return nullptr;
    std::size_t index = 0;
    const char *first = target.data() + prefix.size();
    const char *last = target.data() + target.size();
    auto [end, err] = std::from_chars(first, last, index);
    if (err != std::errc() || end != last || index >= bodies.size())
        return nullptr;
    return &bodies[index];
}

ExpositionServer::ExpositionServer(std::vector<std::string> bodies) : m_impl(std::make_unique<Impl>(std::move(bodies)))
{
    const tcp::endpoint loopback(asio::ip::make_address_v4("127.0.0.1"), 0);
    beast::error_code ec;
    m_impl->acceptor.open(loopback.protocol(), ec);
    if (!ec)
        m_impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec)
        m_impl->acceptor.bind(loopback, ec);
    if (!ec)
        m_impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        m_impl->acceptor.close(ec); // port() then reports 0
}

ExpositionServer::~ExpositionServer() = default;

std::uint16_t ExpositionServer::port() const
{
    beast::error_code ec;
    const tcp::endpoint local = m_impl->acceptor.local_endpoint(ec);
    return ec ? 0 : local.port();
}

void ExpositionServer::run(std::chrono::seconds limit)
{
    asio::signal_set signals(m_impl->io, SIGTERM, SIGINT);
    signals.async_wait([this](beast::error_code, int) { m_impl->io.stop(); });
    m_impl->accept();
    m_impl->io.run_for(limit);
}

std::uint64_t ExpositionServer::requests() const
{
    return m_impl->requests.load();
}

} // namespace pulse::bench
