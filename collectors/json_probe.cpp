// JsonProbe: request, check the status, parse, extract by JSON pointer, then the other expectations.
#include "collectors/json_probe.h"

#include "collectors/http_client.h"
#include "collectors/json_pointer.h"
#include "collectors/probe_http_request.h"
#include "collectors/probe_report.h"

#include <chrono>

namespace pulse {

JsonProbe::JsonProbe(TargetConfig target, HttpClient &http)
    : m_target(std::move(target)), m_http(http), m_instance(instanceLabel(options().http.url)), m_checker(options().expect)
{
}

void JsonProbe::run(std::int64_t startMs, std::function<void(ProbeOutcome)> done)
{
    auto request = httpRequestFor(m_target);
    if (!request) {
        done(judge(startMs, 0, std::unexpected(request.error())));
        return;
    }
    request->headers.emplace_back("Accept", "application/json");
    if (!request->body.empty())
        request->headers.emplace_back("Content-Type", "application/json");
    const auto t0 = std::chrono::steady_clock::now();
    // Runs on an I/O thread; the Scheduler keeps this probe alive until done() is called.
    m_http.fetch(std::move(*request), [this, startMs, t0, done = std::move(done)](Result<HttpResponse> res) {
        done(judge(startMs, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), res));
    });
}

std::string JsonProbe::extractMetrics(const QJsonDocument &doc, const std::vector<MetricExtraction> &extract,
                                      ProbeReport &report)
{
    // Everything is resolved before anything is recorded: a run is all-or-nothing.
    std::vector<std::vector<JsonNumberMatch>> found;
    found.reserve(extract.size());
    for (const auto &e : extract) {
        auto matches = jsonNumbersAt(doc, e.jsonPointer);
        if (!matches)
            return matches.error().message + " (for metric " + e.metricName + ")";
        found.push_back(std::move(*matches));
    }
    for (std::size_t i = 0; i < extract.size(); ++i) {
        for (auto &m : found[i]) {
            if (m.label.empty())
                report.add(extract[i].metricName, m.value);
            else
                report.add(extract[i].metricName, Labels{{std::move(m.label), std::move(m.element)}}, m.value);
        }
    }
    return {};
}

ProbeOutcome JsonProbe::judge(std::int64_t startMs, double seconds, const Result<HttpResponse> &res) const
{
    ProbeReport report(m_target, m_instance, startMs);
    report.add("probe_duration_seconds", seconds);
    report.add("probe_http_status_code", res ? res->status : 0);
    if (!res)
        return report.finishCheck(res.error().message);
    if (auto problem = m_checker.statusProblem(res->status); !problem.empty())
        return report.finishCheck(std::move(problem));
    auto doc = parseJsonBody(res->body);
    if (!doc)
        return report.finishCheck(doc.error().message);
    if (auto problem = extractMetrics(*doc, options().extract, report); !problem.empty())
        return report.finishCheck(std::move(problem));
    auto verdict = m_checker.check(*res, seconds, &*doc);
    return report.finishCheck(std::move(verdict.failure), std::move(verdict.slow));
}

} // namespace pulse
