// For collectors' .cpp files only: HTTP/1.1 framing rules of HttpClient's exchanges, as words — which
// failures mean a kept-alive connection went stale, and what a refused or ambiguous answer is called.
#pragma once

#include <utility> // Boost 1.74's Asio needs it before its headers with GCC 12.

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/fields.hpp>

#include <cstddef>
#include <string>

namespace pulse::detail {

/// kMaxInformational bounds the 1xx answers (103 Early Hints, …) skipped before the real one.
constexpr int kMaxInformational = 8;

/// idempotent methods may be sent again after a stale connection swallowed them.
bool idempotent(const std::string &method);

/// staleConnectionError: what a kept-alive connection the server already dropped looks like.
bool staleConnectionError(const boost::beast::error_code &ec);

/// framingError names what is wrong when the parser refuses Content-Length or Transfer-Encoding;
/// `fields` are those read before the refused one.
std::string framingError(const boost::beast::error_code &ec, const boost::beast::http::fields &fields);

/// unaskedBytesError words `extraBytes` read after a complete answer: a body on a 204/304 or on the
/// answer to a HEAD, or a second response no request asked for. The connection is closed either way.
std::string unaskedBytesError(int status, const std::string &method, std::size_t extraBytes, std::size_t bodyBytes);

} // namespace pulse::detail
