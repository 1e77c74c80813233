// PrometheusProbe: scrapes a /metrics endpoint the way Prometheus does.
#pragma once

#include "collectors/probe.h"
#include "collectors/scrape_cache.h"

namespace pulse {

/// PrometheusProbe fetches the exposition (content type negotiated as Prometheus does), parses it,
/// adds `job` and `instance` (honor_labels decides clashes) and the target's static labels, and adds
/// `up`, `scrape_duration_seconds`, `scrape_samples_scraped` for every run, failed or not.
class PrometheusProbe final : public Probe {
public:
    PrometheusProbe(TargetConfig target, HttpClient &http);
    void run(std::int64_t startMs, std::function<void(ProbeOutcome)> done) override;

    /// kAcceptHeader is what Prometheus 2.42 sends: OpenMetrics preferred, text format accepted.
    static constexpr const char *kAcceptHeader =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
        "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

private:
    /// finish adds the per-run series (up, …) to an outcome whose scraped samples are in place.
    ProbeOutcome finish(std::int64_t startMs, double durationSeconds, Result<ProbeOutcome> scraped) const;

    TargetConfig m_target;
    HttpClient &m_http;
    std::string m_instance;
    Labels m_targetLabels; ///< the target's static labels plus job and instance
    // Used by one run at a time (the Scheduler never overlaps runs of a target), from its callback.
    std::unique_ptr<ScrapeCache> m_cache;
};

} // namespace pulse
