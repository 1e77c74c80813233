// For collectors' .cpp files only: HttpClient's shared state and its connections, on Boost.Beast.
// Never include from a public header.
#pragma once

#include <utility> // Boost 1.74's Asio needs it before its headers with GCC 12.

#include "collectors/connection_gate.h"
#include "collectors/detail/asio_access.h"
#include "collectors/http_client.h"
#include "collectors/idle_pool.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/ssl.h>
#include <poll.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace pulse {

namespace detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

/// Connection is one socket (plain or TLS) with the strand all its work runs on.
struct Connection {
    explicit Connection(asio::io_context &io) : strand(asio::make_strand(io)) {}

    tcp::socket &socket() { return tls ? beast::get_lowest_layer(*tls).socket() : plain->socket(); }

    /// unusable is true when the idle connection has anything to read or the server has closed or
    /// reset it. An idle connection has nothing owed to it: readable bytes are an answer no request
    /// asked for (a smuggled second response), and the next request would take them for its own.
    /// (A TLS 1.3 server sends its session tickets right after the handshake, so the first answer's
    /// read consumed them.)
    bool unusable()
    {
        if (tls && SSL_pending(tls->native_handle()) > 0) // decrypted already, not visible to poll()
            return true;
        pollfd p{socket().native_handle(), POLLIN | POLLRDHUP, 0};
        return ::poll(&p, 1, 0) != 0 || !socket().is_open();
    }

    asio::strand<asio::io_context::executor_type> strand;
    std::shared_ptr<ssl::context> tlsContext; // declared before `tls`, so it outlives it
    std::optional<beast::tcp_stream> plain;
    std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
    std::int64_t certificateExpiryMs = 0;
};

} // namespace detail

/// Impl is what HttpClient and every request in flight share; requests keep it alive.
struct HttpClient::Impl {
    Impl(IoRuntime::Impl &runtime, const HttpClientOptions &options);

    /// tlsContext is the shared context for one trust configuration, built on first use.
    Result<std::shared_ptr<detail::ssl::context>> tlsContext(const std::string &caFile, bool insecure);

    /// Each exchange runs on the loop it started on, and so does its connection: idle connections
    /// are pooled under a key that names their loop, and only that loop's exchanges reuse them.
    IoRuntime::Impl &loops;
    IdlePool<detail::Connection> pool;
    /// idleNow is the time idle connections age by (HttpClientOptions::idleClock).
    std::chrono::steady_clock::time_point idleNow() const
    {
        return idleClock ? idleClock() : std::chrono::steady_clock::now();
    }
    /// gate bounds the connections in flight (HttpClientOptions::maxConnectionsInFlight).
    std::shared_ptr<ConnectionGate> gate;
    NameResolver resolver;
    std::function<std::chrono::steady_clock::time_point()> idleClock;
    std::mutex tlsMutex;
    std::map<std::pair<std::string, bool>, std::shared_ptr<detail::ssl::context>> tlsContexts;
};

namespace detail {

/// startExchange runs one request (with its redirects and its one retry on a fresh connection) and
/// calls `done` once, on an I/O thread. Must run on one of `client`'s I/O threads: the request stays
/// on that thread's loop.
void startExchange(std::shared_ptr<HttpClient::Impl> client, HttpRequest request,
                   std::chrono::steady_clock::time_point deadline, HttpCallback done);

} // namespace detail

} // namespace pulse
