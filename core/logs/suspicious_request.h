// SuspiciousRequest: whether an access-log request carries a common attack signature — SQL
// injection, cross-site scripting, path traversal, command injection — or comes from a known
// scanner. A small, documented list (docs/logs.md) that flags the noisy obvious, not a WAF.
#pragma once

#include <string>
#include <string_view>

namespace pulse {

/// suspiciousRequestKind returns "sqli", "xss", "traversal", "cmdi" or "scanner", or empty. The path
/// and query are URL-decoded up to twice first (attackers double-encode), then compared without case.
/// Each signature needs attack syntax around its words, so `/products/select-chair?q=union+station`
/// is not an attack and `?id=1 union select password from users` is.
std::string_view suspiciousRequestKind(std::string_view pathAndQuery, std::string_view userAgent);

/// urlDecoded decodes %XX escapes and '+' (as a space) once; malformed escapes stay as written.
std::string urlDecoded(std::string_view text);

} // namespace pulse
