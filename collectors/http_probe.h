// HttpProbe: an HTTP(S) health check with expectations, reported like the blackbox exporter.
#pragma once

#include "collectors/expectation_checker.h"
#include "collectors/probe.h"

namespace pulse {

/// HttpProbe sends the target's request (GET unless `method`) and judges the answer with the
/// target's `expect:` block. Every run reports, with job/instance labels:
///   probe_success, probe_duration_seconds, probe_http_status_code (0 without an answer), up,
///   probe_http_redirects, probe_http_uncompressed_body_length,
///   probe_http_duration_seconds{phase="connect"|"tls"|"processing"|"transfer"} (phases that ran),
///   and for HTTPS probe_ssl_earliest_cert_expiry (Unix seconds) and probe_ssl_days_to_expiry.
/// A missed max_latency alone makes the run Degraded (probe_success stays 1); any other miss fails it.
class HttpProbe final : public Probe {
public:
    HttpProbe(TargetConfig target, HttpClient &http);
    void run(std::int64_t startMs, std::function<void(ProbeOutcome)> done) override;

private:
    ProbeOutcome judge(std::int64_t startMs, double seconds, const Result<HttpResponse> &response) const;

    /// options are the target's HttpCheckOptions (makeProbe gives each probe a target of its own kind).
    const HttpCheckOptions &options() const { return std::get<HttpCheckOptions>(m_target.options); }

    TargetConfig m_target;
    HttpClient &m_http;
    std::string m_instance;
    ExpectationChecker m_checker;
};

} // namespace pulse
