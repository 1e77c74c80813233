// PrometheusProbe: scrapes a /metrics endpoint the way Prometheus does.
#pragma once

#include "collectors/probe.h"
#include "collectors/live_series.h"
#include "collectors/scrape_cache.h"
#include "collectors/series_budget.h"

#include <memory>

namespace pulse {

/// PrometheusProbe fetches the exposition (content type negotiated as Prometheus does), parses it,
/// adds `job` and `instance` (honor_labels decides clashes) and the target's static labels, and adds
/// `up`, `scrape_duration_seconds`, `scrape_samples_scraped` for every run, failed or not. A scrape
/// over any of the target's limits (samples, labels, label name or value length, new series within an
/// hour) fails whole, naming the limit, as in Prometheus; its target reports up 0 until it is back
/// within them.
class PrometheusProbe final : public Probe {
public:
    /// `live`, when given, is the count of series all targets expose, shared by their probes.
    PrometheusProbe(TargetConfig target, HttpClient &http, std::shared_ptr<LiveSeries> live = nullptr);
    ~PrometheusProbe() override;
    void run(std::int64_t startMs, std::function<void(ProbeOutcome)> done) override;

    /// kAcceptHeader is what Prometheus 2.42 sends: OpenMetrics preferred, text format accepted.
    static constexpr const char *kAcceptHeader =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
        "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

private:
    /// finish adds the per-run series (up, …) to an outcome whose scraped samples are in place;
    /// `linesOnFailure` is scrape_samples_scraped of a scrape that was read whole and then refused.
    ProbeOutcome finish(std::int64_t startMs, double durationSeconds, Result<ProbeOutcome> scraped,
                        std::size_t linesOnFailure = 0) const;

    /// options are the target's PrometheusOptions (makeProbe gives each probe a target of its own kind).
    const PrometheusOptions &options() const { return std::get<PrometheusOptions>(m_target.options); }

    TargetConfig m_target;
    HttpClient &m_http;
    std::string m_instance;
    Labels m_targetLabels; ///< the target's static labels plus job and instance
    // Used by one run at a time (the Scheduler never overlaps runs of a target), from its callback.
    std::unique_ptr<ScrapeCache> m_cache;
    SeriesBudget m_seriesBudget;
    std::shared_ptr<LiveSeries> m_live;
    std::int64_t m_liveCounted = 0; ///< this target's share of m_live: its last good scrape's series
};

} // namespace pulse
