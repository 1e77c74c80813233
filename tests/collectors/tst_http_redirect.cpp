// redirectedRequest: which method, body, headers and TLS name follow a redirect, and which do not.
#include "collectors/http_redirect.h"

#include <QTest>

#include <algorithm>

using namespace pulse;

namespace {

HttpRequest credentialed(const std::string &url)
{
    HttpRequest req;
    req.url = url;
    req.headers = {
        {"Authorization", "Bearer t0ken"}, {"cookie", "session=1"}, {"X-Api-Key", "k3y"}, {"X-Tenant", "blue"},
        {"Proxy-Authorization", "p"},      {"Accept", "text/plain"}};
    req.secretHeaders = {"x-api-key"};
    req.serverName = "metrics.internal";
    return req;
}

QStringList headerNames(const HttpRequest &req)
{
    QStringList names;
    for (const auto &h : req.headers)
        names << QString::fromStdString(h.first);
    return names;
}

const QStringList kAll = {QStringLiteral("Authorization"),       QStringLiteral("cookie"),
                          QStringLiteral("X-Api-Key"),           QStringLiteral("X-Tenant"),
                          QStringLiteral("Proxy-Authorization"), QStringLiteral("Accept")};
const QStringList kPublic = {QStringLiteral("X-Tenant"), QStringLiteral("Accept")};

} // namespace

class TstHttpRedirect : public QObject {
    Q_OBJECT
private slots:
    void credentialsStayWithTheirOrigin_data();
    void credentialsStayWithTheirOrigin();
    void httpsToHttpIsRefusedUnlessAllowed();
    void methodAfterRedirect_data();
    void methodAfterRedirect();
    void invalidLocation();
};

void TstHttpRedirect::credentialsStayWithTheirOrigin_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("location");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QStringList>("headers");
    QTest::addColumn<bool>("keepsServerName");

    QTest::newRow("same origin, relative") << "https://a.example:8443/metrics"
                                           << "/v2/metrics"
                                           << "https://a.example:8443/v2/metrics" << kAll << true;
    QTest::newRow("same origin, default port written out") << "https://a.example/m"
                                                           << "https://A.example:443/n"
                                                           << "https://a.example:443/n" << kAll << true;
    QTest::newRow("another port") << "https://a.example:8443/m"
                                  << "https://a.example:9443/m"
                                  << "https://a.example:9443/m" << kPublic << true;
    QTest::newRow("another host") << "https://a.example/m"
                                  << "https://b.example/m"
                                  << "https://b.example/m" << kPublic << false;
    QTest::newRow("a subdomain is another host") << "https://example.com/m"
                                                 << "https://api.example.com/m"
                                                 << "https://api.example.com/m" << kPublic << false;
    QTest::newRow("http to https") << "http://a.example/m"
                                   << "https://a.example/m"
                                   << "https://a.example/m" << kPublic << true;
}

void TstHttpRedirect::credentialsStayWithTheirOrigin()
{
    QFETCH(QString, from);
    QFETCH(QString, location);
    QFETCH(QString, to);
    QFETCH(QStringList, headers);
    QFETCH(bool, keepsServerName);
    const auto next = redirectedRequest(credentialed(from.toStdString()), 302, location.toStdString());
    QVERIFY2(next.has_value(), next ? "" : next.error().message.c_str());
    QCOMPARE(QString::fromStdString(next->url), to);
    QCOMPARE(headerNames(*next), headers);
    QCOMPARE(next->serverName, keepsServerName ? std::string("metrics.internal") : std::string());
    QCOMPARE(next->method, std::string("GET"));
}

void TstHttpRedirect::httpsToHttpIsRefusedUnlessAllowed()
{
    HttpRequest req = credentialed("https://a.example/m");
    const auto refused = redirectedRequest(req, 301, "http://a.example/m?x=1");
    QVERIFY(!refused.has_value());
    QCOMPARE(QString::fromStdString(refused.error().message),
             QStringLiteral("refused a redirect from https to http (http://a.example/m?x=1); set "
                            "tls.allow_redirect_to_http to follow it"));
    // Credentials in the Location's user-info are not repeated in the message.
    const auto withUser = redirectedRequest(req, 301, "http://u:pw@a.example/m");
    QVERIFY(!withUser.has_value());
    QVERIFY2(withUser.error().message.find("pw") == std::string::npos, withUser.error().message.c_str());

    req.allowRedirectToHttp = true;
    const auto followed = redirectedRequest(req, 301, "http://a.example/m");
    QVERIFY(followed.has_value());
    QCOMPARE(headerNames(*followed), kPublic); // a change of scheme is a change of origin
}

void TstHttpRedirect::methodAfterRedirect_data()
{
    QTest::addColumn<QString>("method");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("expectedMethod");
    QTest::addColumn<bool>("keepsBody");

    QTest::newRow("POST 301") << "POST" << 301 << "GET" << false;
    QTest::newRow("POST 302") << "POST" << 302 << "GET" << false;
    QTest::newRow("POST 303") << "POST" << 303 << "GET" << false;
    QTest::newRow("POST 307") << "POST" << 307 << "POST" << true;
    QTest::newRow("POST 308") << "POST" << 308 << "POST" << true;
    QTest::newRow("HEAD 303") << "HEAD" << 303 << "HEAD" << true;
    QTest::newRow("PUT 302") << "PUT" << 302 << "GET" << false;
}

void TstHttpRedirect::methodAfterRedirect()
{
    QFETCH(QString, method);
    QFETCH(int, status);
    QFETCH(QString, expectedMethod);
    QFETCH(bool, keepsBody);
    HttpRequest req;
    req.url = "http://a.example/graphql";
    req.method = method.toStdString();
    req.body = "{\"query\":\"{ up }\"}";
    req.headers = {{"Content-Type", "application/json"}};
    const auto next = redirectedRequest(req, status, "/graphql2");
    QVERIFY(next.has_value());
    QCOMPARE(QString::fromStdString(next->method), expectedMethod);
    QCOMPARE(next->body.empty(), !keepsBody);
    QCOMPARE(next->headers.empty(), !keepsBody); // no Content-Type without a body
}

void TstHttpRedirect::invalidLocation()
{
    HttpRequest req;
    req.url = "http://a.example/m";
    const auto next = redirectedRequest(req, 302, "http://[::1/x");
    QVERIFY(!next.has_value());
    QVERIFY2(next.error().message.starts_with("redirect to an invalid Location"), next.error().message.c_str());
}

QTEST_APPLESS_MAIN(TstHttpRedirect)
#include "tst_http_redirect.moc"
