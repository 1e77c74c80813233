// httpRequestFor: the HttpRequest an HTTP-based target (prometheus, http, json, graphql) sends.
#pragma once

#include "collectors/http_client.h"
#include "core/config/target_config.h"

namespace pulse {

/// httpRequestFor copies URL, timeout, TLS settings, custom headers, and the method and body of the
/// kinds that have them from the target (whose kind must talk HTTP: target.http() is set) and adds its credentials (bearer token or basic auth). It fails when a secret cannot be
/// revealed (an unset environment variable, an unreadable file) or a bearer token holds a line break.
/// Configured headers that look like credentials go to secretHeaders (kept from other origins).
Result<HttpRequest> httpRequestFor(const TargetConfig &target);

/// httpRequestFor is the same for any HTTP client config (a notification receiver's): URL, timeout,
/// TLS settings, headers and credentials; the method is GET.
Result<HttpRequest> httpRequestFor(const HttpTargetOptions &http, Duration timeout);

} // namespace pulse
