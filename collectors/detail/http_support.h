// For collectors' .cpp files only: pieces of HttpClient that need no Asio — URL splitting, gzip decoding
// with a limit, size wording, TLS peer names and certificate expiry (OpenSSL types: never in a public header).
#pragma once

#include "core/base/error.h"

#include <cstddef>
#include <cstdint>
#include <string>

struct ssl_st; // OpenSSL's SSL

namespace pulse {

/// HttpTarget is a URL split the way a connection needs it.
struct HttpTarget {
    bool tls = false;
    std::string host;         ///< as it goes on the wire (IDNA-encoded, IPv6 without brackets)
    std::string port;         ///< always set: the scheme's default when the URL has none
    std::string pathAndQuery; ///< "/" at least
};

/// parseHttpTarget accepts http and https URLs with a host.
Result<HttpTarget> parseHttpTarget(const std::string &url);

/// gunzip inflates a gzip body, failing once the output passes `limit` (a gzip bomb stops early).
Result<std::string> gunzip(const std::string &in, std::size_t limit);

/// certificateNotAfterMs is the peer certificate's notAfter in ms since the epoch, or 0 without one.
std::int64_t certificateNotAfterMs(ssl_st *ssl);

/// setTlsPeerName sends `name` as SNI (host names only, RFC 6066: not an address literal) and, when
/// `verify`, makes OpenSSL check the certificate against it as part of the chain (RFC 6125; an IP
/// literal against IP SANs), so a mismatch reads "hostname mismatch". Empty, or what went wrong.
std::string setTlsPeerName(ssl_st *ssl, const std::string &name, bool verify);

/// certificateFailureHint is empty after a handshake whose certificate verified, else " (certificate
/// verification failed: <OpenSSL's reason>; what to set)".
std::string certificateFailureHint(ssl_st *ssl);

/// sizeText writes a byte count the way limits are usually given ("16 MiB", "64 KiB", "1000 bytes").
std::string sizeText(std::size_t bytes);

} // namespace pulse
