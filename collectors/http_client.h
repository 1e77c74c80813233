// HttpClient: bounded, deadline-driven HTTP/1.1 and HTTPS requests for every probe kind.
#pragma once

#include "collectors/name_resolver.h"
#include "core/base/duration.h"
#include "core/base/error.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pulse {

class IoRuntime;

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    HttpHeaders headers; ///< e.g. Accept, Authorization (never logged)
    /// secretHeaders names headers, besides Authorization and Cookie, that carry credentials: they are
    /// not sent on after a redirect to another origin (see redirectedRequest).
    std::vector<std::string> secretHeaders;
    std::string body;
    Duration timeout = std::chrono::seconds(10); ///< for the whole exchange, redirects included
    std::size_t maxBodyBytes = 16 * 1024 * 1024; ///< after decompression
    std::size_t maxHeaderBytes = 64 * 1024;
    int maxRedirects = 5;
    bool allowRedirectToHttp = false; ///< follow https -> http redirects (tls.allow_redirect_to_http)
    bool insecureSkipVerify = false; ///< TLS verification is on unless the user opts out
    std::string caFile;              ///< extra trust anchors (PEM) for private CAs
    std::string serverName;          ///< SNI and verified name override; empty = the URL's host
};

/// HttpTimings are milliseconds from the start of the (last) exchange; -1 when a phase did not happen.
struct HttpTimings {
    double connectMs = -1;
    double tlsMs = -1;
    double firstByteMs = -1;
    double totalMs = -1;
};

struct HttpResponse {
    int status = 0;
    HttpHeaders headers;
    std::string contentType;
    std::string body; ///< decompressed
    std::string finalUrl;
    HttpTimings timings;
    int redirects = 0;
    /// certificateExpiryMs is the leaf certificate's notAfter (ms since epoch) for HTTPS, else 0.
    std::int64_t certificateExpiryMs = 0;
    /// reusedConnection is true when the answer came over a kept-alive connection (then connectMs
    /// and tlsMs are -1: those phases did not happen for this request).
    bool reusedConnection = false;
};

/// HttpClientOptions bound the keep-alive pool: idle connections per host (scheme, host, port and
/// TLS settings) and in all, and how long one may stay idle. maxIdlePerHost = 0 turns reuse off.
/// The defaults are Prometheus's (1,000 per host, 20,000 in all): many targets on one host and port
/// (paths of one exporter, a federation endpoint) each keep their connection instead of reconnecting
/// at every scrape; the process raises its open-file limit to match (raiseOpenFileLimit).
struct HttpClientOptions {
    std::size_t maxIdlePerHost = 1000;
    std::size_t maxIdleTotal = 20000;
    Duration idleTimeout = std::chrono::seconds(30);
    /// idleClock is the clock idle connections age by; empty = std::chrono::steady_clock. Tests move
    /// it by hand instead of sleeping through an idle timeout.
    std::function<std::chrono::steady_clock::time_point()> idleClock;
    /// maxConnectionsInFlight bounds the connections busy with a request at once, over all hosts; a
    /// request beyond it waits for one in arrival order, within its own deadline. 0 = half the
    /// open-file limit when the client is made (16 to 65,536).
    std::size_t maxConnectionsInFlight = 0;
    /// lookup resolves host names (NameResolver: off the I/O threads, cached); empty = getaddrinfo.
    NameResolver::Lookup lookup;
};

using HttpCallback = std::function<void(Result<HttpResponse>)>;

/// HttpClient runs requests on an IoRuntime. Every request has a deadline and size limits; a response
/// over a limit fails with a message naming the limit. Callbacks run on an I/O thread.
///
/// Connections are kept alive and reused (HTTP/1.1, one request at a time per connection); a request
/// that fails on a reused connection before any answer arrives is retried once on a fresh one. TLS
/// contexts are built once per (ca_file, insecure_skip_verify) and shared; a CA file is read when
/// its context is first needed.
///
/// Threading: fetch() may be called from any thread. The client must be destroyed before its
/// IoRuntime (the destructor closes the idle connections); requests still in flight then finish
/// normally but their connections are not kept.
class HttpClient {
public:
    explicit HttpClient(IoRuntime &runtime, const HttpClientOptions &options = {});
    ~HttpClient();
    HttpClient(const HttpClient &) = delete;
    HttpClient &operator=(const HttpClient &) = delete;

    /// fetch starts the request and returns at once.
    void fetch(HttpRequest request, HttpCallback done);
    /// fetchBlocking waits for the answer. Must not be called from an I/O thread.
    Result<HttpResponse> fetchBlocking(HttpRequest request);

    /// runtime is the IoRuntime requests run on (probes that need sockets of their own use it).
    IoRuntime &runtime() const { return m_runtime; }
    /// resolver is the client's NameResolver (probes that connect by themselves share it).
    NameResolver &resolver() const;

    /// idleConnections is how many kept-alive connections wait in the pool now.
    std::size_t idleConnections() const;
    /// droppedIdleConnections counts idle connections closed because the pool was full.
    std::uint64_t droppedIdleConnections() const;
    /// connectionLimit is the bound on connections in flight (HttpClientOptions::maxConnectionsInFlight).
    std::size_t connectionLimit() const;
    /// connectionsInFlight is how many connections are busy with a request now.
    std::size_t connectionsInFlight() const;
    /// connectionWaits counts requests that had to wait for a connection slot.
    std::uint64_t connectionWaits() const;

    struct Impl;

private:
    IoRuntime &m_runtime;
    std::shared_ptr<Impl> m_impl; // shared with requests in flight
};

} // namespace pulse
