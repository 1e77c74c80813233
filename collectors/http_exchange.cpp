// One HTTP exchange on Boost.Beast: HttpClient's request state machine. One Exchange object per request:
//
//   a free connection slot (ConnectionGate: waits in arrival order, under the deadline), then
//   idle connection from the pool (nothing to read, peer still there) --------------+
//   resolve (NameResolver, off this thread) -> connect -> [TLS handshake] ------------+-> write -> read header
//        -> [1xx informational: read the next header] -> read body
//        -> bytes after the answer? fail, close : connection back to the pool (keep-alive) or closed
//        -> [gunzip]
//        \_____________ deadline timer closes the socket (the error names the phase) _____________/
//   reused connection fails before any answer byte -> one new Exchange on a fresh connection
//   3xx with Location and redirects left -> a new Exchange for redirectedRequest(...)
//   (both keep the original deadline)
//
// Each connection has its own strand; the exchange's timer uses it too, so the deadline
// handler never runs at the same time as an I/O completion on that socket. It can still run after
// one: an expiry queued in the same loop turn as the completion that ended the exchange is not
// recalled by cancel(), and then finds the connection released (onDeadline).
//
// Framing is strict where a lenient client would mix answers up: bytes no request asked for (after
// Content-Length, or a body on a 204) fail the exchange and close the connection, an idle connection
// with anything to read is never reused, and conflicting Content-Length/Transfer-Encoding headers
// are refused by name (the wording: detail/http_framing.h).
//
// The state machine stays in one file, a little over the usual length: its phases share the
// connection, the buffer and the deadline, and reading it top to bottom follows the diagram above.
#include "collectors/detail/http_client_impl.h"
#include "collectors/detail/http_framing.h"
#include "collectors/detail/http_support.h"
#include "collectors/detail/resolve_on_strand.h"
#include "collectors/http_redirect.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http.hpp>

#include <charconv>
#include <optional>
#include <string_view>

namespace pulse::detail {

namespace http = beast::http;
using Clock = std::chrono::steady_clock;

namespace {

/// kReadChunkBytes is the most one receive asks the socket for (Beast caps a read at 64 KiB).
constexpr std::size_t kReadChunkBytes = 64 * 1024;

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
    /// exchange until it holds a connection slot and has armed the deadline.
    void start()
    {
        m_io = &m_client->loops.pick();
        auto target = parseHttpTarget(m_request.url);
        if (!target)
            return deliver(std::unexpected(target.error()));
        m_target = *target;
        for (const auto &[name, value] : m_request.headers) {
            // A line break in a value (a token file with a stray CR/LF) would start a header of its
            // own: refused before anything is connected or sent.
            if (value.find_first_of("\r\n") != std::string::npos || name.find_first_of("\r\n:") != std::string::npos)
                return deliver(fail("header '" + name + "' holds a line break; refusing to send it"));
        }
        m_started = Clock::now();
        if (m_deadline <= m_started)
            return deliver(fail("timed out after " + formatDuration(m_request.timeout)));
        // The grant is posted to this loop, whose one thread is running this function: it cannot
        // run before the wait's timer is armed below.
        auto acquired = m_client->gate->acquire([self = shared_from_this()](std::optional<ConnectionGate::Slot> slot) {
            asio::post(*self->m_io, [self, slot = std::move(slot)]() mutable { self->onSlot(std::move(slot)); });
        });
        if (acquired.slot) {
            m_slot = std::move(acquired.slot);
            return connect();
        }
        if (acquired.refused)
            return deliver(fail("too many requests waiting for a connection (" +
                                std::to_string(m_client->gate->limit()) + " in flight, the limit)"));
        m_ticket = acquired.ticket;
        m_waitTimer.emplace(*m_io);
        m_waitTimer->expires_at(m_deadline);
        m_waitTimer->async_wait([self = shared_from_this()](beast::error_code ec) {
            if (!ec)
                self->onWaitDeadline();
        });
    }

private:
    /// connect takes an idle connection or makes a new one. Holds a slot; on the exchange's loop.
    void connect()
    {
        asio::io_context &io = *m_io;
        m_key = std::to_string(m_client->loops.indexOf(io));
        m_key.append(m_target.tls ? "|https://" : "|http://").append(m_target.host).append(":").append(m_target.port);
        if (m_target.tls)
            m_key += "|" + m_request.serverName + "|" + m_request.caFile + (m_request.insecureSkipVerify ? "|i" : "|v");
        while (m_mayReuse && !m_conn) {
            m_conn = m_client->pool.take(m_key, m_client->idleNow());
            if (!m_conn)
                break;
            if (m_conn->unusable())
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
        asio::dispatch(m_conn->strand, [self = shared_from_this()] { self->begin(); });
    }

    /// onSlot: the gate handed this waiting exchange a slot (nullopt: the client shut down).
    void onSlot(std::optional<ConnectionGate::Slot> slot)
    {
        if (m_waitTimer)
            m_waitTimer->cancel();
        if (m_waitOver)
            return; // answered by the deadline already; the slot frees as `slot` goes
        m_waitOver = true;
        if (!slot)
            return deliver(fail("the HTTP client shut down while the request waited for a connection"));
        if (Clock::now() >= m_deadline)
            return deliver(fail(waitTimeoutText()));
        m_slot = std::move(*slot);
        connect();
    }

    /// onWaitDeadline: the deadline passed while waiting for a slot. When the gate has already
    /// granted one, onSlot is on its way and answers instead.
    void onWaitDeadline()
    {
        if (m_waitOver || !m_client->gate->cancel(m_ticket))
            return;
        m_waitOver = true;
        deliver(fail(waitTimeoutText()));
    }

    std::string waitTimeoutText() const
    {
        return "timed out after " + formatDuration(m_request.timeout) + " while waiting for a free connection (" +
               std::to_string(m_client->gate->limit()) + " in flight, the limit)";
    }

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
        m_resolving = true;
        unsigned short port = 0;
        std::from_chars(m_target.port.data(), m_target.port.data() + m_target.port.size(), port);
        detail::resolveOnStrand(m_client->resolver, m_target.host, port, m_conn->strand, shared_from_this(),
                                [](Exchange &self, const Result<detail::Endpoints> &e) { self.onResolved(e); });
    }

    /// onDeadline closes the socket, which fails the pending operation with the phase named. An expiry
    /// queued in the same loop turn as the completion that ended the exchange still runs (cancel()
    /// cannot recall it): the connection is then pooled or closed, and there is nothing to stop.
    void onDeadline()
    {
        if (!m_conn)
            return;
        m_timedOut = true;
        if (m_resolving) // nothing to close yet: answer now, and drop the lookup's answer when it comes
            return finish(fail("timed out after " + formatDuration(m_request.timeout) + " while " + m_phase));
        beast::error_code ignored;
        m_conn->socket().close(ignored);
    }

    std::string failure(const beast::error_code &ec) const
    {
        if (m_timedOut)
            return "timed out after " + formatDuration(m_request.timeout) + " while " + m_phase;
        return m_phase + ": " + ec.message();
    }

    void onResolved(const Result<detail::Endpoints> &endpoints)
    {
        if (!m_conn || !m_resolving)
            return; // the deadline has answered already
        m_resolving = false;
        if (!endpoints)
            return finish(std::unexpected(endpoints.error()));
        m_phase = "connecting to " + m_target.host + ":" + m_target.port;
        asio::async_connect(m_conn->socket(), *endpoints,
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
        if (std::string error = setTlsPeerName(tls.native_handle(), name, !m_request.insecureSkipVerify);
            !error.empty())
            return finish(fail(error));
        m_phase = "TLS handshake with " + name;
        tls.async_handshake(ssl::stream_base::client, [self = shared_from_this()](beast::error_code e) {
            self->onHandshake(e);
        });
    }

    void onHandshake(beast::error_code ec)
    {
        if (ec) {
            return finish(fail(failure(ec) + certificateFailureHint(m_conn->tls->native_handle())));
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
        // An IPv6 literal goes in brackets (RFC 7230 §5.4), as in the URL: `Host: [::1]:8443`.
        const std::string host =
            m_target.host.find(':') != std::string::npos ? "[" + m_target.host + "]" : m_target.host;
        m_req.set(http::field::host, defaultPort ? host : host + ":" + m_target.port);
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
        m_phase = "waiting for the response header";
        readHeader();
    }

    /// readHeader reads the next response header with a fresh parser (a parser reads one message).
    void readHeader()
    {
        m_parser.emplace();
        m_parser->header_limit(static_cast<std::uint32_t>(m_request.maxHeaderBytes));
        m_parser->body_limit(m_request.maxBodyBytes);
        if (m_request.method == "HEAD") // the answer's Content-Length describes a body not sent
            m_parser->skip(true);
        withStream([this](auto &stream) {
            http::async_read_header(stream, m_buffer, *m_parser,
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
        if (ec == http::error::bad_content_length || ec == http::error::bad_transfer_encoding)
            return finish(fail(framingError(ec, m_parser->get())));
        if (ec && retryable(ec, true))
            return retryFresh();
        if (ec)
            return finish(fail(failure(ec)));
        if (m_response.timings.firstByteMs < 0)
            m_response.timings.firstByteMs = msSinceStart();
        const unsigned status = m_parser->get().result_int();
        if (status >= 100 && status < 200 && status != 101) {
            // 103 Early Hints and the like come before the answer; Go's client skips them too.
            if (++m_informational > kMaxInformational)
                return finish(fail("more than " + std::to_string(kMaxInformational) +
                                   " informational (1xx) responses before an answer"));
            return readHeader();
        }
        m_phase = "reading the response body";
        withStream([this](auto &stream) {
            http::async_read(stream, m_buffer, *m_parser,
                             [self = shared_from_this()](beast::error_code e, std::size_t) { self->onBody(e); });
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
        auto &res = m_parser->get();
        m_response.status = static_cast<int>(res.result_int());
        if (m_buffer.size() > 0) {
            // The server and we disagree about where the answer ends (a smuggled second response, a
            // body on a 204): what was read may not be this request's answer either.
            return finish(fail(unaskedBytesError(m_response.status, m_request.method, m_buffer.size(),
                                                 res.body().size())));
        }
        const bool reusable = m_parser->keep_alive() && !m_timedOut;
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
        auto req = redirectedRequest(m_request, m_response.status, location);
        if (!req)
            return deliver(std::unexpected(req.error()));
        std::make_shared<Exchange>(m_client, std::move(*req), m_deadline, m_redirects + 1, true, std::move(m_done))
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
            m_client->pool.put(m_key, std::move(m_conn), m_client->idleNow());
            m_slot.reset(); // an idle connection is not in flight
            return;
        }
        beast::error_code ignored;
        m_conn->socket().close(ignored);
        m_conn.reset();
        m_slot.reset();
    }

    void finish(Result<HttpResponse> result)
    {
        releaseConnection(false);
        deliver(std::move(result));
    }

    void deliver(Result<HttpResponse> result)
    {
        m_slot.reset();
        if (m_done) {
            auto done = std::move(m_done);
            done(std::move(result));
        }
    }

    std::shared_ptr<HttpClient::Impl> m_client;
    asio::io_context *m_io = nullptr; ///< the loop this exchange runs on
    HttpRequest m_request;
    Clock::time_point m_deadline;
    Clock::time_point m_started;
    int m_redirects;
    bool m_mayReuse;
    HttpCallback m_done;
    HttpTarget m_target;
    std::string m_key;
    std::unique_ptr<Connection> m_conn;
    ConnectionGate::Slot m_slot; ///< held from taking or opening a connection until it is released
    ConnectionGate::Ticket m_ticket = 0;
    std::optional<asio::steady_timer> m_waitTimer; ///< the deadline while waiting for a slot
    bool m_waitOver = false;
    bool m_reused = false;
    bool m_resolving = false; ///< waiting for NameResolver's answer
    std::optional<asio::steady_timer> m_timer;
    beast::flat_buffer m_buffer;
    http::request<http::string_body> m_req;
    std::optional<http::response_parser<http::string_body>> m_parser;
    int m_informational = 0;
    HttpResponse m_response;
    std::string m_phase;
    bool m_timedOut = false;
};

} // namespace

void startExchange(std::shared_ptr<HttpClient::Impl> client, HttpRequest request, Clock::time_point deadline,
                   HttpCallback done)
{
    std::make_shared<Exchange>(std::move(client), std::move(request), deadline, 0, true, std::move(done))->start();
}

} // namespace pulse::detail
