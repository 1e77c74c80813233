// Redirect rules for HttpClient, kept out of the Beast translation unit.
#include "collectors/http_redirect.h"

#include <QUrl>

#include <algorithm>
#include <cctype>

namespace pulse {
namespace {

bool sameName(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

int effectivePort(const QUrl &url)
{
    return url.port(url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0 ? 443 : 80);
}

} // namespace

Result<HttpRequest> redirectedRequest(const HttpRequest &request, int status, const std::string &location)
{
    const QUrl base(QString::fromStdString(request.url));
    const QUrl relative(QString::fromStdString(location));
    if (!relative.isValid())
        return fail("redirect to an invalid Location (" + relative.errorString().toStdString() + ")");
    const QUrl next = base.resolved(relative);
    const bool fromTls = base.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
    const bool toTls = next.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
    const std::string nextText = next.toString(QUrl::FullyEncoded).toStdString();
    if (fromTls && !toTls && !request.allowRedirectToHttp)
        return fail("refused a redirect from https to " + next.scheme().toStdString() + " (" +
                    next.toString(QUrl::RemoveUserInfo | QUrl::FullyEncoded).toStdString() +
                    "); set tls.allow_redirect_to_http to follow it");

    HttpRequest req = request;
    req.url = nextText;
    const bool keepsMethod = status == 307 || status == 308 || req.method == "GET" || req.method == "HEAD";
    if (!keepsMethod) {
        req.method = "GET";
        req.body.clear();
        std::erase_if(req.headers, [](const auto &h) { return sameName(h.first, "Content-Type"); });
    }
    const bool sameHost = base.host().compare(next.host(), Qt::CaseInsensitive) == 0;
    const bool sameOrigin = sameHost && fromTls == toTls && effectivePort(base) == effectivePort(next);
    if (!sameOrigin) {
        std::erase_if(req.headers, [&](const auto &h) {
            if (sameName(h.first, "Authorization") || sameName(h.first, "Proxy-Authorization") ||
                sameName(h.first, "Cookie"))
                return true;
            return std::any_of(request.secretHeaders.begin(), request.secretHeaders.end(),
                               [&](const std::string &name) { return sameName(h.first, name); });
        });
    }
    if (!sameHost)
        req.serverName.clear();
    return req;
}

} // namespace pulse
