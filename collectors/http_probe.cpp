// HttpProbe: one run = one request through HttpClient, then the expectations, then the report.
#include "collectors/http_probe.h"

#include "collectors/http_client.h"
#include "collectors/probe_http_request.h"
#include "collectors/probe_report.h"

#include <algorithm>
#include <chrono>

namespace pulse {

namespace {

double secondsSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// reportPhases splits the exchange the way the blackbox exporter does; a phase that did not run
/// (no TLS on plain HTTP) is left out.
void reportPhases(ProbeReport &report, const HttpTimings &t)
{
    auto phase = [&](const char *name, double fromMs, double toMs) {
        if (fromMs >= 0 && toMs >= fromMs)
            report.add("probe_http_duration_seconds", Labels(std::vector<Label>{{"phase", name}}), (toMs - fromMs) / 1000.0);
    };
    // On a reused keep-alive connection connect and tls did not happen; processing starts at 0.
    const double sent = t.tlsMs >= 0 ? t.tlsMs : std::max(t.connectMs, 0.0);
    phase("connect", 0, t.connectMs);
    phase("tls", t.connectMs, t.tlsMs);
    phase("processing", sent, t.firstByteMs);
    phase("transfer", t.firstByteMs, t.totalMs);
}

} // namespace

HttpProbe::HttpProbe(TargetConfig target, HttpClient &http)
    : m_target(std::move(target)), m_http(http), m_instance(instanceLabel(options().http.url)), m_checker(options().expect)
{
}

void HttpProbe::run(std::int64_t startMs, std::function<void(ProbeOutcome)> done)
{
    auto request = httpRequestFor(m_target);
    if (!request) {
        done(judge(startMs, 0, std::unexpected(request.error())));
        return;
    }
    const auto t0 = std::chrono::steady_clock::now();
    // Runs on an I/O thread; the Scheduler keeps this probe alive until done() is called.
    m_http.fetch(std::move(*request), [this, startMs, t0, done = std::move(done)](Result<HttpResponse> res) {
        done(judge(startMs, secondsSince(t0), res));
    });
}

ProbeOutcome HttpProbe::judge(std::int64_t startMs, double seconds, const Result<HttpResponse> &res) const
{
    ProbeReport report(m_target, m_instance, startMs);
    report.add("probe_duration_seconds", seconds);
    report.add("probe_http_status_code", res ? res->status : 0);
    if (!res)
        return report.finishCheck(res.error().message);
    report.add("probe_http_redirects", res->redirects);
    report.add("probe_http_uncompressed_body_length", static_cast<double>(res->body.size()));
    reportPhases(report, res->timings);
    if (res->certificateExpiryMs > 0) {
        const auto nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
        report.add("probe_ssl_earliest_cert_expiry", static_cast<double>(res->certificateExpiryMs) / 1000.0);
        report.add("probe_ssl_days_to_expiry", static_cast<double>(res->certificateExpiryMs - nowMs) / 86'400'000.0);
    }
    auto verdict = m_checker.check(*res, seconds);
    return report.finishCheck(std::move(verdict.failure), std::move(verdict.slow));
}

} // namespace pulse
