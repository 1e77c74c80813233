// redirectedRequest: the request a 3xx answer leads to, with what must not follow it elsewhere removed.
#pragma once

#include "collectors/http_client.h"
#include "core/base/error.h"

#include <string>

namespace pulse {

/// redirectedRequest is `request` sent again to `location` (resolved against request.url) after a
/// `status` redirect. Pure: no I/O, so the rules are tested without a server.
///
/// - 301, 302 and 303 turn any method but GET and HEAD into a GET without a body; 307 and 308 keep
///   method and body (as Go's client, and so Prometheus, does).
/// - A change of origin (scheme, host or port) drops Authorization, Proxy-Authorization, Cookie and
///   every header named in request.secretHeaders: a credential goes only where it was configured for.
/// - A change of host drops request.serverName: tls.server_name names the configured host's
///   certificate, not another host's.
/// - https -> http fails unless request.allowRedirectToHttp: the credentials and the answer would
///   travel in clear text after the user asked for TLS.
Result<HttpRequest> redirectedRequest(const HttpRequest &request, int status, const std::string &location);

} // namespace pulse
