// Test certificates made in-process with OpenSSL: self-signed, for any host, valid over any span
// (including one that ended yesterday), so TLS failure tests need no clock tricks.
#pragma once

#include <string>

namespace pulse::test {

/// writeSelfSignedCertificate writes a self-signed P-256 certificate for `host` (subject CN and
/// subjectAltName DNS) and its private key, PEM, valid from `fromDays` to `untilDays` days from
/// now (negative: in the past). Returns an empty string, or what failed.
std::string writeSelfSignedCertificate(const std::string &certPath, const std::string &keyPath,
                                       const std::string &host, long fromDays, long untilDays);

} // namespace pulse::test
