// httpRequestFor: one place that turns a target's HTTP settings and credentials into a request.
#include "collectors/probe_http_request.h"

#include <QByteArray>

namespace pulse {

Result<HttpRequest> httpRequestFor(const TargetConfig &target)
{
    HttpRequest req;
    req.url = target.url;
    req.timeout = target.timeout;
    req.insecureSkipVerify = target.tls.insecureSkipVerify;
    req.caFile = target.tls.caFile;
    req.serverName = target.tls.serverName;
    req.allowRedirectToHttp = target.tls.allowRedirectToHttp;
    req.headers = target.headers;
    // Configured headers that hold credentials stay with the configured origin on a redirect.
    for (const auto &[name, value] : target.headers)
        if (target.isSecretHeader(name))
            req.secretHeaders.push_back(name);
    if (!target.method.empty())
        req.method = target.method;
    req.body = target.body;
    if (target.bearerToken.isSet()) {
        auto token = target.bearerToken.reveal();
        if (!token)
            return std::unexpected(token.error());
        if (token->find_first_of("\r\n") != std::string::npos)
            return fail(std::string(target.bearerToken.isFile() ? "bearer_token_file" : "bearer_token") +
                        " holds a line break inside the token (only a trailing one is ignored)");
        req.headers.emplace_back("Authorization", "Bearer " + *token);
    } else if (target.basicAuth) {
        auto password = target.basicAuth->password.reveal();
        if (!password)
            return std::unexpected(password.error());
        const QByteArray raw = QByteArray::fromStdString(target.basicAuth->username + ":" + *password);
        req.headers.emplace_back("Authorization", "Basic " + raw.toBase64().toStdString());
    }
    return req;
}

} // namespace pulse
