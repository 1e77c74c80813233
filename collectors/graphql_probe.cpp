// GraphQLProbe: build the GraphQL-over-HTTP request, then errors, status, data, extraction, expectations.
#include "collectors/graphql_probe.h"

#include "collectors/http_client.h"
#include "collectors/json_pointer.h"
#include "collectors/json_probe.h"
#include "collectors/probe_http_request.h"
#include "collectors/probe_report.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>
#include <chrono>

namespace pulse {

namespace {

/// graphqlErrors joins the first few `errors[].message`s with their locations, or is empty.
std::string graphqlErrors(const QJsonDocument &doc)
{
    const QJsonArray errors = doc.object().value(QLatin1String("errors")).toArray();
    if (errors.isEmpty())
        return {};
    constexpr qsizetype kShown = 3;
    std::string text = errors.size() == 1 ? "GraphQL error: " : "GraphQL errors: ";
    for (qsizetype i = 0; i < std::min(errors.size(), kShown); ++i) {
        const QJsonObject error = errors.at(i).toObject();
        if (i > 0)
            text += "; ";
        const QString message = error.value(QLatin1String("message")).toString();
        text += message.isEmpty() ? std::string("(no message)") : message.toStdString();
        const QJsonObject where = error.value(QLatin1String("locations")).toArray().at(0).toObject();
        if (!where.isEmpty())
            text += " (line " + std::to_string(where.value(QLatin1String("line")).toInt()) + ", column " +
                    std::to_string(where.value(QLatin1String("column")).toInt()) + ")";
    }
    if (errors.size() > kShown)
        text += "; and " + std::to_string(errors.size() - kShown) + " more";
    return text;
}

} // namespace

GraphQLProbe::GraphQLProbe(TargetConfig target, HttpClient &http)
    : m_target(std::move(target)), m_http(http), m_instance(instanceLabel(options().http.url)), m_checker(options().expect)
{
}

void GraphQLProbe::run(std::int64_t startMs, std::function<void(ProbeOutcome)> done)
{
    auto request = httpRequestFor(m_target);
    if (!request) {
        done(judge(startMs, 0, std::unexpected(request.error())));
        return;
    }
    const QString query = QString::fromStdString(options().query);
    const QByteArray variables = QJsonDocument(options().variables).toJson(QJsonDocument::Compact);
    request->headers.emplace_back("Accept", "application/graphql-response+json, application/json;q=0.9");
    if (request->method == "GET") {
        QUrl url(QString::fromStdString(request->url));
        QUrlQuery params(url);
        params.addQueryItem(QStringLiteral("query"), query);
        if (!options().variables.isEmpty())
            params.addQueryItem(QStringLiteral("variables"), QString::fromUtf8(variables));
        url.setQuery(params);
        request->url = url.toString(QUrl::FullyEncoded).toStdString();
        request->body.clear();
    } else {
        QJsonObject body{{QStringLiteral("query"), query}};
        if (!options().variables.isEmpty())
            body.insert(QStringLiteral("variables"), options().variables);
        request->body = QJsonDocument(body).toJson(QJsonDocument::Compact).toStdString();
        request->headers.emplace_back("Content-Type", "application/json");
    }
    const auto t0 = std::chrono::steady_clock::now();
    // Runs on an I/O thread; the Scheduler keeps this probe alive until done() is called.
    m_http.fetch(std::move(*request), [this, startMs, t0, done = std::move(done)](Result<HttpResponse> res) {
        done(judge(startMs, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), res));
    });
}

ProbeOutcome GraphQLProbe::judge(std::int64_t startMs, double seconds, const Result<HttpResponse> &res) const
{
    ProbeReport report(m_target, m_instance, startMs);
    report.add("probe_duration_seconds", seconds);
    report.add("probe_http_status_code", res ? res->status : 0);
    if (!res)
        return report.finishCheck(res.error().message);
    auto doc = parseJsonBody(res->body);
    if (doc) {
        if (auto errors = graphqlErrors(*doc); !errors.empty())
            return report.finishCheck(std::move(errors));
    }
    if (auto problem = m_checker.statusProblem(res->status); !problem.empty())
        return report.finishCheck(std::move(problem));
    if (!doc)
        return report.finishCheck(doc.error().message);
    const QJsonValue data = doc->object().value(QLatin1String("data"));
    if (!data.isObject())
        return report.finishCheck("GraphQL answer has no data");
    if (auto problem = JsonProbe::extractMetrics(*doc, options().extract, report); !problem.empty())
        return report.finishCheck(std::move(problem));
    auto verdict = m_checker.check(*res, seconds, &*doc);
    return report.finishCheck(std::move(verdict.failure), std::move(verdict.slow));
}

} // namespace pulse
