// HttpClient implementation on Boost.Beast. One Exchange object per request:
//
//   idle connection from the pool (peer still there) ---------------------+
//   resolve -> connect -> [TLS handshake] ----------------------------------+-> write -> read header
//        -> read body -> connection back to the pool (keep-alive, read to the end) or closed -> [gunzip]
//        \_____________ deadline timer closes the socket (the error names the phase) _____________/
//   reused connection fails before any answer byte -> one new Exchange on a fresh connection
//   3xx with Location and redirects left -> a new Exchange for the resolved URL
//   (both keep the original deadline)
//
// Each connection has its own strand; the exchange's timer and resolver use it too, so the deadline
// handler never runs at the same time as an I/O completion on that socket.
#include "collectors/http_client.h"

#include "collectors/detail/asio_access.h"
#include "collectors/http_support.h"
#include "collectors/idle_pool.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <QUrl>

#include <openssl/ssl.h>
#include <poll.h>

#include <functional>
#include <future>
#include <map>
#include <optional>
#include <string_view>

namespace pulse {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

/// kReadChunkBytes is the most one receive asks the socket for (Beast caps a read at 64 KiB).
constexpr std::size_t kReadChunkBytes = 64 * 1024;

/// Connection is one socket (plain or TLS) with the strand all its work runs on.
struct Connection {
    explicit Connection(asio::io_context &io) : strand(asio::make_strand(io)) {}

    tcp::socket &socket() { return tls ? beast::get_lowest_layer(*tls).socket() : plain->socket(); }

    /// peerGone is true when the server has closed or reset the idle connection; reusing it would
    /// only fail. (Plain readability is not checked: TLS 1.3 servers may send tickets at any time.)
    bool peerGone()
    {
        pollfd p{socket().native_handle(), POLLRDHUP, 0};
        return ::poll(&p, 1, 0) != 0 || !socket().is_open();
    }

    asio::strand<asio::io_context::executor_type> strand;
    std::shared_ptr<ssl::context> tlsContext; // declared before `tls`, so it outlives it
    std::optional<beast::tcp_stream> plain;
    std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
    std::int64_t certificateExpiryMs = 0;
};

bool idempotent(const std::string &method)
{
    return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "PUT" || method == "DELETE";
}

/// staleConnectionError: what a kept-alive connection the server already dropped looks like.
bool staleConnectionError(const beast::error_code &ec)
{
    return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::broken_pipe || ec == asio::error::connection_aborted ||
           ec == asio::ssl::error::stream_truncated;
}

} // namespace

struct HttpClient::Impl {
    Impl(IoRuntime::Impl &runtime, const HttpClientOptions &options)
        : loops(runtime), pool(IdlePoolLimits{options.maxIdlePerHost, options.maxIdleTotal, options.idleTimeout})
    {
    }

    /// tlsContext is the shared context for one trust configuration, built on first use.
    Result<std::shared_ptr<ssl::context>> tlsContext(const std::string &caFile, bool insecure)
    {
        std::lock_guard lock(tlsMutex);
        auto &slot = tlsContexts[{caFile, insecure}];
        if (slot)
            return slot;
        auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
        beast::error_code ec;
        ctx->set_default_verify_paths(ec);
        if (!caFile.empty()) {
            ctx->load_verify_file(caFile, ec);
            if (ec) {
                tlsContexts.erase({caFile, insecure}); // try again next time: the file may appear
                return fail("cannot load CA file '" + caFile + "': " + ec.message());
            }
        }
        ctx->set_verify_mode(insecure ? ssl::verify_none : ssl::verify_peer);
        slot = ctx;
        return ctx;
    }

    /// Each exchange runs on the loop it started on, and so does its connection: idle connections
    /// are pooled under a key that names their loop, and only that loop's exchanges reuse them.
    IoRuntime::Impl &loops;
    IdlePool<Connection> pool;
    std::mutex tlsMutex;
    std::map<std::pair<std::string, bool>, std::shared_ptr<ssl::context>> tlsContexts;
};

namespace {

class Exchange : public std::enable_shared_from_this<Exchange> {
public:
    Exchange(std::shared_ptr<HttpClient::Impl> client, HttpRequest request, Clock::time_point deadline,
             int redirects, bool mayReuse, HttpCallback done)
        : m_client(std::move(client)), m_request(std::move(request)), m_deadline(deadline), m_redirects(redirects),
          m_mayReuse(mayReuse), m_done(std::move(done))
    {
        // Beast reads at most the buffer's free capacity (at least 512 bytes) per receive: an empty
        // buffer makes a 60 kB scrape ~120 recvmsg calls and as many completions. One reservation
        // makes it one or two.
        m_buffer.reserve(kReadChunkBytes);
    }

    std::string_view url() const { return m_request.url; }

    /// start runs on an I/O thread, whose loop the exchange then stays on; nothing else touches this
    /// exchange until it has armed the timer.
    void start()
    {
        asio::io_context &io = m_client->loops.pick();
        auto target = parseHttpTarget(m_request.url);
        if (!target)
            return deliver(std::unexpected(target.error()));
        m_target = *target;
        m_started = Clock::now();
        if (m_deadline <= m_started)
            return deliver(fail("timed out after " + formatDuration(m_request.timeout)));
        m_key = std::to_string(m_client->loops.indexOf(io));
        m_key.append(m_target.tls ? "|https://" : "|http://").append(m_target.host).append(":").append(m_target.port);
        if (m_target.tls)
            m_key += "|" + m_request.serverName + "|" + m_request.caFile + (m_request.insecureSkipVerify ? "|i" : "|v");
        while (m_mayReuse && !m_conn) {
            m_conn = m_client->pool.take(m_key, m_started);
            if (!m_conn)
                break;
            if (m_conn->peerGone())
                m_conn.reset();
            else
                m_reused = true;
        }
        if (!m_conn) {
            m_conn = std::make_unique<Connection>(io);
            if (m_target.tls) {
                auto ctx = m_client->tlsContext(m_request.caFile, m_request.insecureSkipVerify);
                if (!ctx)
                    return deliver(std::unexpected(ctx.error()));
                m_conn->tlsContext = *ctx;
                m_conn->tls.emplace(m_conn->strand, **ctx);
            } else {
                m_conn->plain.emplace(m_conn->strand);
            }
        }
        m_timer.emplace(m_conn->strand);
        m_resolver.emplace(m_conn->strand);
        asio::dispatch(m_conn->strand, [self = shared_from_this()] { self->begin(); });
    }

private:
    template <class Fn>
    void withStream(Fn &&fn)
    {
        if (m_conn->tls)
            fn(*m_conn->tls);
        else
            fn(*m_conn->plain);
    }

    double msSinceStart() const
    {
        return std::chrono::duration<double, std::milli>(Clock::now() - m_started).count();
    }

    void begin()
    {
        m_timer->expires_at(m_deadline);
        m_timer->async_wait([self = shared_from_this()](beast::error_code ec) {
            if (!ec)
                self->onDeadline();
        });
        if (m_reused) {
            m_response.certificateExpiryMs = m_conn->certificateExpiryMs;
            return write();
        }
        m_phase = "resolving " + m_target.host;
        m_resolver->async_resolve(m_target.host, m_target.port,
                                  [self = shared_from_this()](beast::error_code ec, const tcp::resolver::results_type &r) {
                                      self->onResolved(ec, r);
                                  });
    }

    void onDeadline()
    {
        m_timedOut = true;
        m_resolver->cancel();
        beast::error_code ignored;
        m_conn->socket().close(ignored);
    }

    std::string failure(const beast::error_code &ec) const
    {
        if (m_timedOut)
            return "timed out after " + formatDuration(m_request.timeout) + " while " + m_phase;
        return m_phase + ": " + ec.message();
    }

    void onResolved(beast::error_code ec, const tcp::resolver::results_type &results)
    {
        if (ec)
            return finish(fail(failure(ec)));
        m_phase = "connecting to " + m_target.host + ":" + m_target.port;
        asio::async_connect(m_conn->socket(), results,
                            [self = shared_from_this()](beast::error_code e, const tcp::endpoint &) {
                                self->onConnected(e);
                            });
    }

    void onConnected(beast::error_code ec)
    {
        if (ec)
            return finish(fail(failure(ec)));
        m_response.timings.connectMs = msSinceStart();
        if (!m_conn->tls)
            return write();
        auto &tls = *m_conn->tls;
        const std::string name = m_request.serverName.empty() ? m_target.host : m_request.serverName;
        if (!SSL_set_tlsext_host_name(tls.native_handle(), name.c_str()))
            return finish(fail("cannot set TLS server name '" + name + "'"));
        if (!m_request.insecureSkipVerify)
            tls.set_verify_callback(ssl::host_name_verification(name));
        m_phase = "TLS handshake with " + name;
        tls.async_handshake(ssl::stream_base::client, [self = shared_from_this()](beast::error_code e) {
            self->onHandshake(e);
        });
    }

    void onHandshake(beast::error_code ec)
    {
        if (ec) {
            std::string msg = failure(ec);
            const long verify = SSL_get_verify_result(m_conn->tls->native_handle());
            if (verify != X509_V_OK)
                msg += " (certificate verification failed: " +
                       std::string(X509_verify_cert_error_string(verify)) +
                       "; set tls.ca_file for a private CA or tls.insecure_skip_verify to opt out)";
            return finish(fail(msg));
        }
        m_response.timings.tlsMs = msSinceStart();
        m_conn->certificateExpiryMs = certificateNotAfterMs(m_conn->tls->native_handle());
        m_response.certificateExpiryMs = m_conn->certificateExpiryMs;
        write();
    }

    void write()
    {
        const auto verb = http::string_to_verb(m_request.method);
        if (verb == http::verb::unknown)
            return finish(fail("unsupported HTTP method '" + m_request.method + "'"));
        m_req.version(11);
        m_req.method(verb);
        m_req.target(m_target.pathAndQuery);
        const bool defaultPort = m_target.port == (m_target.tls ? "443" : "80");
        m_req.set(http::field::host, defaultPort ? m_target.host : m_target.host + ":" + m_target.port);
        m_req.set(http::field::user_agent, "Pulseboard/0.1");
        m_req.set(http::field::accept_encoding, "gzip");
        for (const auto &[name, value] : m_request.headers)
            m_req.set(name, value);
        m_req.keep_alive(true);
        m_req.body() = m_request.body;
        m_req.prepare_payload();
        m_phase = "sending the request";
        withStream([this](auto &stream) {
            http::async_write(stream, m_req, [self = shared_from_this()](beast::error_code ec, std::size_t) {
                self->onWritten(ec);
            });
        });
    }

    /// retryable: a reused connection that failed before any byte of an answer was probably closed
    /// by the server while idle; the request goes again on a fresh connection, once.
    bool retryable(const beast::error_code &ec, bool written) const
    {
        return m_reused && !m_timedOut && m_buffer.size() == 0 && staleConnectionError(ec) &&
               (!written || idempotent(m_request.method));
    }

    void onWritten(beast::error_code ec)
    {
        if (ec && retryable(ec, false))
            return retryFresh();
        if (ec)
            return finish(fail(failure(ec)));
        m_parser.header_limit(static_cast<std::uint32_t>(m_request.maxHeaderBytes));
        m_parser.body_limit(m_request.maxBodyBytes);
        m_phase = "waiting for the response header";
        withStream([this](auto &stream) {
            http::async_read_header(stream, m_buffer, m_parser,
                                    [self = shared_from_this()](beast::error_code e, std::size_t) {
                                        self->onHeader(e);
                                    });
        });
    }

    void onHeader(beast::error_code ec)
    {
        if (ec == http::error::header_limit)
            return finish(fail("response header exceeds the limit of " + sizeText(m_request.maxHeaderBytes)));
        if (ec == http::error::body_limit) // a Content-Length over the limit is refused before reading
            return finish(fail("response body exceeds the limit of " + sizeText(m_request.maxBodyBytes)));
        if (ec && retryable(ec, true))
            return retryFresh();
        if (ec)
            return finish(fail(failure(ec)));
        m_response.timings.firstByteMs = msSinceStart();
        m_phase = "reading the response body";
        withStream([this](auto &stream) {
            http::async_read(stream, m_buffer, m_parser, [self = shared_from_this()](beast::error_code e, std::size_t) {
                self->onBody(e);
            });
        });
    }

    void onBody(beast::error_code ec)
    {
        if (ec == http::error::body_limit)
            return finish(fail("response body exceeds the limit of " + sizeText(m_request.maxBodyBytes)));
        if (ec == http::error::partial_message)
            return finish(fail("connection closed before the whole body arrived (short Content-Length or "
                               "truncated chunked body)"));
        if (ec)
            return finish(fail(failure(ec)));
        auto &res = m_parser.get();
        // Bytes after the answer mean the server and we disagree about framing: never reuse that.
        const bool reusable = m_parser.keep_alive() && m_buffer.size() == 0 && !m_timedOut;
        m_response.status = static_cast<int>(res.result_int());
        for (const auto &field : res)
            m_response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        m_response.contentType = std::string(res[http::field::content_type]);
        m_response.finalUrl = m_request.url;
        m_response.redirects = m_redirects;
        m_response.reusedConnection = m_reused;
        const std::string encoding(res[http::field::content_encoding]);
        std::string body = std::move(res.body());
        const int s = m_response.status;
        const std::string location(res[http::field::location]);
        releaseConnection(reusable);
        if ((s == 301 || s == 302 || s == 303 || s == 307 || s == 308) && !location.empty())
            return redirect(location);
        if (beast::iequals(encoding, "gzip") || beast::iequals(encoding, "x-gzip")) {
            auto inflated = gunzip(body, m_request.maxBodyBytes);
            if (!inflated)
                return deliver(std::unexpected(inflated.error()));
            m_response.body = std::move(*inflated);
        } else if (!encoding.empty() && !beast::iequals(encoding, "identity")) {
            return deliver(fail("unsupported Content-Encoding '" + encoding + "'"));
        } else {
            m_response.body = std::move(body);
        }
        m_response.timings.totalMs = msSinceStart();
        deliver(std::move(m_response));
    }

    void retryFresh()
    {
        releaseConnection(false);
        std::make_shared<Exchange>(m_client, m_request, m_deadline, m_redirects, false, std::move(m_done))->start();
    }

    void redirect(const std::string &location)
    {
        if (m_redirects >= m_request.maxRedirects)
            return deliver(fail("stopped after " + std::to_string(m_request.maxRedirects) +
                                " redirects (redirect loop?), last to " + location));
        const QUrl base(QString::fromStdString(m_request.url));
        const QUrl next = base.resolved(QUrl(QString::fromStdString(location)));
        HttpRequest req = m_request;
        req.url = next.toString(QUrl::FullyEncoded).toStdString();
        if (m_response.status == 303) {
            req.method = "GET";
            req.body.clear();
        }
        // Credentials are not forwarded to another host.
        if (next.host() != base.host())
            std::erase_if(req.headers, [](const auto &h) { return beast::iequals(h.first, "authorization"); });
        std::make_shared<Exchange>(m_client, std::move(req), m_deadline, m_redirects + 1, true, std::move(m_done))
            ->start();
    }

    /// releaseConnection stops the deadline and either pools the connection or closes it.
    /// Runs on the connection's strand.
    void releaseConnection(bool keep)
    {
        if (m_timer)
            m_timer->cancel();
        if (!m_conn)
            return;
        if (keep) {
            m_client->pool.put(m_key, std::move(m_conn), Clock::now());
            return;
        }
        beast::error_code ignored;
        m_conn->socket().close(ignored);
        m_conn.reset();
    }

    void finish(Result<HttpResponse> result)
    {
        releaseConnection(false);
        deliver(std::move(result));
    }

    void deliver(Result<HttpResponse> result)
    {
        if (m_done) {
            auto done = std::move(m_done);
            done(std::move(result));
        }
    }

    std::shared_ptr<HttpClient::Impl> m_client;
    HttpRequest m_request;
    Clock::time_point m_deadline;
    Clock::time_point m_started;
    int m_redirects;
    bool m_mayReuse;
    HttpCallback m_done;
    HttpTarget m_target;
    std::string m_key;
    std::unique_ptr<Connection> m_conn;
    bool m_reused = false;
    std::optional<tcp::resolver> m_resolver;
    std::optional<asio::steady_timer> m_timer;
    beast::flat_buffer m_buffer;
    http::request<http::string_body> m_req;
    http::response_parser<http::string_body> m_parser;
    HttpResponse m_response;
    std::string m_phase;
    bool m_timedOut = false;
};

} // namespace

HttpClient::HttpClient(IoRuntime &runtime, HttpClientOptions options)
    : m_runtime(runtime), m_impl(std::make_shared<Impl>(runtime.impl(), options))
{
}

HttpClient::~HttpClient()
{
    m_impl->pool.close();
}

void HttpClient::fetch(HttpRequest request, HttpCallback done)
{
    const auto deadline = Clock::now() + request.timeout;
    auto exchange = std::make_shared<Exchange>(m_impl, std::move(request), deadline, 0, true, std::move(done));
    // From an I/O thread the exchange stays on that thread's loop (a target's scrape); from any other
    // thread, requests to one scheme://authority go to one loop, where its idle connections are.
    const std::string_view url = exchange->url();
    const std::size_t scheme = url.find("://");
    const std::size_t authorityEnd = scheme == std::string_view::npos ? url.size() : url.find('/', scheme + 3);
    const std::size_t key = std::hash<std::string_view>{}(url.substr(0, authorityEnd));
    asio::post(m_runtime.impl().pickFor(key), [exchange] { exchange->start(); });
}

Result<HttpResponse> HttpClient::fetchBlocking(HttpRequest request)
{
    // On an I/O thread the exchange would be queued behind this very call on the thread's own loop.
    if (m_runtime.impl().current() != nullptr)
        return fail("internal error: a blocking HTTP request on an I/O thread");
    auto promise = std::make_shared<std::promise<Result<HttpResponse>>>();
    auto future = promise->get_future();
    fetch(std::move(request), [promise](Result<HttpResponse> r) { promise->set_value(std::move(r)); });
    return future.get();
}

std::size_t HttpClient::idleConnections() const
{
    return m_impl->pool.size();
}

std::uint64_t HttpClient::droppedIdleConnections() const
{
    return m_impl->pool.dropped();
}

} // namespace pulse
