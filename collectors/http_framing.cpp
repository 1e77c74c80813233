// HTTP/1.1 framing rules and their wording (see detail/http_framing.h).
#include "collectors/detail/http_framing.h"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>

namespace pulse::detail {

namespace http = boost::beast::http;
namespace asio = boost::asio;

bool idempotent(const std::string &method)
{
    return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "PUT" || method == "DELETE";
}

bool staleConnectionError(const boost::beast::error_code &ec)
{
    return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::broken_pipe || ec == asio::error::connection_aborted ||
           ec == asio::ssl::error::stream_truncated;
}

std::string framingError(const boost::beast::error_code &ec, const http::fields &fields)
{
    const bool hasLength = fields.count(http::field::content_length) > 0;
    const bool hasEncoding = fields.count(http::field::transfer_encoding) > 0;
    if (ec == http::error::bad_content_length && hasEncoding)
        return "response has both Transfer-Encoding and Content-Length (ambiguous framing)";
    if (ec == http::error::bad_content_length && hasLength)
        return "response has two different Content-Length headers (the first says " +
               std::string(fields[http::field::content_length]) + ")";
    if (ec == http::error::bad_content_length)
        return "response has an invalid Content-Length";
    if (hasLength)
        return "response has both Content-Length and Transfer-Encoding (ambiguous framing)";
    return "response has Transfer-Encoding twice";
}

std::string unaskedBytesError(int status, const std::string &method, std::size_t extraBytes, std::size_t bodyBytes)
{
    if (status == 204 || status == 304 || method == "HEAD") {
        const std::string what =
            method == "HEAD" ? "the answer to a HEAD request" : "a " + std::to_string(status) + " response";
        return what + " carried a body (" + std::to_string(extraBytes) +
               " bytes), which it must not have; connection closed";
    }
    return "the server sent " + std::to_string(extraBytes) + " bytes after the " + std::to_string(bodyBytes) +
           "-byte response that no request asked for (a second response?); connection closed";
}

} // namespace pulse::detail
