// URL splitting, gzip decoding and TLS peer checks for HttpClient, kept out of the Beast translation unit.
#include "collectors/detail/http_support.h"

#include <QUrl>

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <zlib.h>

#include <chrono>

namespace pulse {

std::string sizeText(std::size_t bytes)
{
    if (bytes % (1024 * 1024) == 0)
        return std::to_string(bytes / (1024 * 1024)) + " MiB";
    if (bytes % 1024 == 0)
        return std::to_string(bytes / 1024) + " KiB";
    return std::to_string(bytes) + " bytes";
}

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

Result<HttpTarget> parseHttpTarget(const std::string &url)
{
    const QUrl u(QString::fromStdString(url), QUrl::StrictMode);
    if (!u.isValid())
        return fail("invalid URL: " + u.errorString().toStdString());
    const QString scheme = u.scheme().toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return fail("unsupported URL scheme '" + scheme.toStdString() + "' (use http or https)");
    if (u.host().isEmpty())
        return fail("URL has no host");
    HttpTarget t;
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

std::string setTlsPeerName(ssl_st *ssl, const std::string &name, bool verify)
{
    const bool literal =
        name.find(':') != std::string::npos || name.find_first_not_of("0123456789.") == std::string::npos;
    if (!literal && !SSL_set_tlsext_host_name(ssl, name.c_str()))
        return "cannot set TLS server name '" + name + "'";
    if (!verify)
        return {};
    X509_VERIFY_PARAM *param = SSL_get0_param(ssl);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str()) != 1 &&
        X509_VERIFY_PARAM_set1_host(param, name.c_str(), name.size()) != 1)
        return "cannot set the TLS host name to verify: '" + name + "'";
    return {};
}

std::string certificateFailureHint(ssl_st *ssl)
{
    const long verify = SSL_get_verify_result(ssl);
    if (verify == X509_V_OK)
        return {};
    return " (certificate verification failed: " + std::string(X509_verify_cert_error_string(verify)) +
           "; set tls.ca_file for a private CA or tls.insecure_skip_verify to opt out)";
}

} // namespace pulse
