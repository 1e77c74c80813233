// HttpClient implementation on Boost.Beast. One Exchange object per request:
//
//   resolve -> connect -> [TLS handshake] -> write -> read header -> read body -> [gunzip]
//        \_______________________ deadline timer closes the socket _______________/
//   3xx with Location and redirects left -> a new Exchange for the resolved URL (same deadline)
//
// One overall deadline covers the whole request; when it fires the socket is closed and the
// pending operation fails, and the error names the phase that was running.
#include "collectors/http_client.h"

#include "collectors/detail/asio_access.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>

#include <QUrl>

#include <openssl/x509.h>
#include <zlib.h>

#include <future>
#include <optional>

namespace pulse {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

std::string sizeText(std::size_t bytes)
{
    if (bytes % (1024 * 1024) == 0)
        return std::to_string(bytes / (1024 * 1024)) + " MiB";
    if (bytes % 1024 == 0)
        return std::to_string(bytes / 1024) + " KiB";
    return std::to_string(bytes) + " bytes";
}

/// gunzip inflates a gzip body, failing once the output passes `limit` (a gzip bomb stops early).
Result<std::string> gunzip(const std::string &in, std::size_t limit)
{
    z_stream zs{};
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        return fail("cannot initialise gzip decoder");
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    std::string out;
    char buf[64 * 1024];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        zs.next_out = reinterpret_cast<Bytef *>(buf);
        zs.avail_out = sizeof buf;
        rc = inflate(&zs, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&zs);
            return fail(rc == Z_BUF_ERROR ? "gzip body is truncated" : "gzip body is corrupt");
        }
        out.append(buf, sizeof buf - zs.avail_out);
        if (out.size() > limit) {
            inflateEnd(&zs);
            return fail("response body exceeds the limit of " + sizeText(limit) + " after decompression");
        }
    }
    inflateEnd(&zs);
    return out;
}

struct Target {
    bool tls = false;
    std::string host;
    std::string port;
    std::string pathAndQuery;
};

Result<Target> parseTarget(const std::string &url)
{
    const QUrl u(QString::fromStdString(url), QUrl::StrictMode);
    if (!u.isValid())
        return fail("invalid URL: " + u.errorString().toStdString());
    const QString scheme = u.scheme().toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return fail("unsupported URL scheme '" + scheme.toStdString() + "' (use http or https)");
    if (u.host().isEmpty())
        return fail("URL has no host");
    Target t;
    t.tls = scheme == QLatin1String("https");
    t.host = u.host(QUrl::FullyEncoded).toStdString();
    t.port = std::to_string(u.port(t.tls ? 443 : 80));
    t.pathAndQuery = u.path(QUrl::FullyEncoded).toStdString();
    if (t.pathAndQuery.empty())
        t.pathAndQuery = "/";
    if (u.hasQuery())
        t.pathAndQuery += "?" + u.query(QUrl::FullyEncoded).toStdString();
    return t;
}

std::int64_t certificateNotAfterMs(SSL *ssl)
{
    X509 *cert = SSL_get1_peer_certificate(ssl);
    if (!cert)
        return 0;
    std::int64_t result = 0;
    int days = 0;
    int seconds = 0;
    if (ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(cert)) == 1) {
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        result = now + (static_cast<std::int64_t>(days) * 86400 + seconds) * 1000;
    }
    X509_free(cert);
    return result;
}

class Exchange : public std::enable_shared_from_this<Exchange> {
public:
    Exchange(asio::io_context &io, HttpRequest request, Clock::time_point deadline, int redirects,
             HttpCallback done)
        : m_io(io), m_request(std::move(request)), m_deadline(deadline), m_redirects(redirects),
          m_done(std::move(done)), m_resolver(io), m_timer(io)
    {
    }

    void start()
    {
        auto target = parseTarget(m_request.url);
        if (!target)
            return finish(std::unexpected(target.error()));
        m_target = *target;
        m_started = Clock::now();
        if (m_deadline <= m_started)
            return finish(fail("timed out after " + formatDuration(m_request.timeout)));
        m_timer.expires_at(m_deadline);
        m_timer.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (!ec)
                self->onDeadline();
        });
        if (m_target.tls) {
            auto ctx = makeTlsContext();
            if (!ctx)
                return finish(std::unexpected(ctx.error()));
            m_ssl = std::move(*ctx);
            m_tls.emplace(m_io, *m_ssl);
        } else {
            m_tcp.emplace(m_io);
        }
        m_phase = "resolving " + m_target.host;
        m_resolver.async_resolve(m_target.host, m_target.port,
                                 [self = shared_from_this()](beast::error_code ec, tcp::resolver::results_type r) {
                                     self->onResolved(ec, std::move(r));
                                 });
    }

private:
    Result<std::unique_ptr<ssl::context>> makeTlsContext()
    {
        auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
        beast::error_code ec;
        ctx->set_default_verify_paths(ec);
        if (!m_request.caFile.empty()) {
            ctx->load_verify_file(m_request.caFile, ec);
            if (ec)
                return fail("cannot load CA file '" + m_request.caFile + "': " + ec.message());
        }
        ctx->set_verify_mode(m_request.insecureSkipVerify ? ssl::verify_none : ssl::verify_peer);
        return ctx;
    }

    tcp::socket &socket()
    {
        return m_tls ? beast::get_lowest_layer(*m_tls).socket() : m_tcp->socket();
    }

    template <class Fn>
    void withStream(Fn &&fn)
    {
        if (m_tls)
            fn(*m_tls);
        else
            fn(*m_tcp);
    }

    double msSinceStart() const
    {
        return std::chrono::duration<double, std::milli>(Clock::now() - m_started).count();
    }

    void onDeadline()
    {
        m_timedOut = true;
        m_resolver.cancel();
        beast::error_code ignored;
        socket().close(ignored);
    }

    std::string failure(const beast::error_code &ec) const
    {
        if (m_timedOut)
            return "timed out after " + formatDuration(m_request.timeout) + " while " + m_phase;
        return m_phase + ": " + ec.message();
    }

    void onResolved(beast::error_code ec, tcp::resolver::results_type results)
    {
        if (ec)
            return finish(fail(failure(ec)));
        m_phase = "connecting to " + m_target.host + ":" + m_target.port;
        asio::async_connect(socket(), results,
                            [self = shared_from_this()](beast::error_code e, const tcp::endpoint &) {
                                self->onConnected(e);
                            });
    }

    void onConnected(beast::error_code ec)
    {
        if (ec)
            return finish(fail(failure(ec)));
        m_response.timings.connectMs = msSinceStart();
        if (!m_tls)
            return write();
        const std::string name = m_request.serverName.empty() ? m_target.host : m_request.serverName;
        if (!SSL_set_tlsext_host_name(m_tls->native_handle(), name.c_str()))
            return finish(fail("cannot set TLS server name '" + name + "'"));
        if (!m_request.insecureSkipVerify)
            m_tls->set_verify_callback(ssl::host_name_verification(name));
        m_phase = "TLS handshake with " + name;
        m_tls->async_handshake(ssl::stream_base::client, [self = shared_from_this()](beast::error_code e) {
            self->onHandshake(e);
        });
    }

    void onHandshake(beast::error_code ec)
    {
        if (ec) {
            std::string msg = failure(ec);
            const long verify = SSL_get_verify_result(m_tls->native_handle());
            if (verify != X509_V_OK)
                msg += " (certificate verification failed: " +
                       std::string(X509_verify_cert_error_string(verify)) +
                       "; set tls.ca_file for a private CA or tls.insecure_skip_verify to opt out)";
            return finish(fail(msg));
        }
        m_response.timings.tlsMs = msSinceStart();
        m_response.certificateExpiryMs = certificateNotAfterMs(m_tls->native_handle());
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
        m_req.keep_alive(false);
        m_req.body() = m_request.body;
        m_req.prepare_payload();
        m_phase = "sending the request";
        withStream([this](auto &stream) {
            http::async_write(stream, m_req, [self = shared_from_this()](beast::error_code ec, std::size_t) {
                self->onWritten(ec);
            });
        });
    }

    void onWritten(beast::error_code ec)
    {
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
        m_response.status = static_cast<int>(res.result_int());
        for (const auto &field : res)
            m_response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        m_response.contentType = std::string(res[http::field::content_type]);
        m_response.finalUrl = m_request.url;
        m_response.redirects = m_redirects;
        const auto encoding = res[http::field::content_encoding];
        if (beast::iequals(encoding, "gzip") || beast::iequals(encoding, "x-gzip")) {
            auto body = gunzip(res.body(), m_request.maxBodyBytes);
            if (!body)
                return finish(std::unexpected(body.error()));
            m_response.body = std::move(*body);
        } else if (!encoding.empty() && !beast::iequals(encoding, "identity")) {
            return finish(fail("unsupported Content-Encoding '" + std::string(encoding) + "'"));
        } else {
            m_response.body = std::move(res.body());
        }
        m_response.timings.totalMs = msSinceStart();
        const int s = m_response.status;
        const auto location = res[http::field::location];
        if ((s == 301 || s == 302 || s == 303 || s == 307 || s == 308) && !location.empty())
            return redirect(std::string(location));
        finish(std::move(m_response));
    }

    void redirect(const std::string &location)
    {
        if (m_redirects >= m_request.maxRedirects)
            return finish(fail("stopped after " + std::to_string(m_request.maxRedirects) +
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
        m_timer.cancel();
        std::make_shared<Exchange>(m_io, std::move(req), m_deadline, m_redirects + 1, std::move(m_done))->start();
    }

    void finish(Result<HttpResponse> result)
    {
        m_timer.cancel();
        beast::error_code ignored;
        if (m_tcp || m_tls)
            socket().close(ignored);
        if (m_done) {
            auto done = std::move(m_done);
            done(std::move(result));
        }
    }

    asio::io_context &m_io;
    HttpRequest m_request;
    Clock::time_point m_deadline;
    Clock::time_point m_started;
    int m_redirects;
    HttpCallback m_done;
    Target m_target;
    tcp::resolver m_resolver;
    asio::steady_timer m_timer;
    std::unique_ptr<ssl::context> m_ssl;
    std::optional<beast::tcp_stream> m_tcp;
    std::optional<beast::ssl_stream<beast::tcp_stream>> m_tls;
    beast::flat_buffer m_buffer;
    http::request<http::string_body> m_req;
    http::response_parser<http::string_body> m_parser;
    HttpResponse m_response;
    std::string m_phase;
    bool m_timedOut = false;
};

} // namespace

HttpClient::HttpClient(IoRuntime &runtime) : m_runtime(runtime) {}

HttpClient::~HttpClient() = default;

void HttpClient::fetch(HttpRequest request, HttpCallback done)
{
    const auto deadline = Clock::now() + request.timeout;
    auto exchange =
        std::make_shared<Exchange>(ioContext(m_runtime), std::move(request), deadline, 0, std::move(done));
    asio::post(ioContext(m_runtime), [exchange] { exchange->start(); });
}

Result<HttpResponse> HttpClient::fetchBlocking(HttpRequest request)
{
    auto promise = std::make_shared<std::promise<Result<HttpResponse>>>();
    auto future = promise->get_future();
    fetch(std::move(request), [promise](Result<HttpResponse> r) { promise->set_value(std::move(r)); });
    return future.get();
}

} // namespace pulse
