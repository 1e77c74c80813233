// httpRequestFor: one place that turns a target's HTTP settings and credentials into a request.
#include "collectors/probe_http_request.h"

#include <QByteArray>

namespace pulse {

Result<HttpRequest> httpRequestFor(const HttpTargetOptions &http, Duration timeout)
{
    HttpRequest req;
    req.url = http.url;
    req.timeout = timeout;
    req.insecureSkipVerify = http.tls.insecureSkipVerify;
    req.caFile = http.tls.caFile;
    req.serverName = http.tls.serverName;
    req.allowRedirectToHttp = http.tls.allowRedirectToHttp;
    req.headers = http.headers;
    // Configured headers that hold credentials stay with the configured origin on a redirect.
    for (const auto &[name, value] : http.headers)
        if (http.isSecretHeader(name))
            req.secretHeaders.push_back(name);
    if (http.bearerToken.isSet()) {
        auto token = http.bearerToken.reveal();
        if (!token)
            return std::unexpected(token.error());
        if (token->find_first_of("\r\n") != std::string::npos)
            return fail(std::string(http.bearerToken.isFile() ? "bearer_token_file" : "bearer_token") +
                        " holds a line break inside the token (only a trailing one is ignored)");
        req.headers.emplace_back("Authorization", "Bearer " + *token);
    } else if (http.basicAuth) {
        auto password = http.basicAuth->password.reveal();
        if (!password)
            return std::unexpected(password.error());
        const QByteArray raw = QByteArray::fromStdString(http.basicAuth->username + ":" + *password);
        req.headers.emplace_back("Authorization", "Basic " + raw.toBase64().toStdString());
    }
    return req;
}

Result<HttpRequest> httpRequestFor(const TargetConfig &target)
{
    auto req = httpRequestFor(*target.http(), target.timeout);
    if (!req)
        return req;
    std::visit(
        [&req](const auto &options) {
            if constexpr (requires { options.method; }) {
                if (!options.method.empty()) // the loader always sets one; a target made in code may not
                    req->method = options.method;
            }
            if constexpr (requires { options.body; })
                req->body = options.body;
        },
        target.options);
    return req;
}

} // namespace pulse
