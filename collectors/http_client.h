// HttpClient: bounded, deadline-driven HTTP/1.1 and HTTPS requests for every probe kind.
#pragma once

#include "core/duration.h"
#include "core/error.h"

#include <cstddef>
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
    std::string body;
    Duration timeout = std::chrono::seconds(10); ///< for the whole exchange, redirects included
    std::size_t maxBodyBytes = 16 * 1024 * 1024; ///< after decompression
    std::size_t maxHeaderBytes = 64 * 1024;
    int maxRedirects = 5;
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
};

using HttpCallback = std::function<void(Result<HttpResponse>)>;

/// HttpClient runs requests on an IoRuntime. Every request has a deadline and size limits; a response
/// over a limit fails with a message naming the limit. Callbacks run on an I/O thread.
class HttpClient {
public:
    explicit HttpClient(IoRuntime &runtime);
    ~HttpClient();

    /// fetch starts the request and returns at once.
    void fetch(HttpRequest request, HttpCallback done);
    /// fetchBlocking waits for the answer. Must not be called from an I/O thread.
    Result<HttpResponse> fetchBlocking(HttpRequest request);

    /// runtime is the IoRuntime requests run on (probes that need sockets of their own use it).
    IoRuntime &runtime() const { return m_runtime; }

private:
    IoRuntime &m_runtime;
};

} // namespace pulse
