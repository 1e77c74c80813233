// Probe: the interface every target kind implements (prometheus, http, json, graphql, tcp, host).
#pragma once

#include "core/base/metric_batch.h"
#include "core/base/target_status.h"
#include "core/config/target_config.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace pulse {

class HttpClient;
class LiveSeries;

/// ProbeOutcome is what one run produced. Failures are data too: a failed run still reports
/// `up` (and `probe_success` for the check kinds) = 0 through `samples`.
///
/// Health of one run:
///   Up       the run succeeded and met every expectation;
///   Degraded the run succeeded (`up` = 1) but missed a soft expectation — today only an http/json/
///            graphql `max_latency` — and `error` says which;
///   Down     the run failed (no answer, wrong status, a hard expectation missed, unparsable body,
///            a missing JSON pointer, GraphQL errors, ...) and `error` says why.
struct ProbeOutcome {
    std::vector<Sample> samples;
    TargetHealth health = TargetHealth::Down;
    std::string error; ///< empty when Up; untrusted text (may quote a server's answer)
    /// Scraped samples by reference (the prometheus probe, scrape_cache.h), besides `samples`.
    std::shared_ptr<const SeriesTable> series;
    std::vector<RefSample> refSamples;
    bool seriesTableIsNew = false; ///< `series` was made by this run
    /// duplicateSamples counts scraped samples dropped because their series had already appeared in
    /// the same scrape (the first one is kept, as Prometheus does; the target stays up).
    std::size_t duplicateSamples = 0;
    /// futureSamples counts scraped samples dropped for a timestamp too far ahead (max_future);
    /// ancientSamples the ones kept although stamped before 2001 (seconds where ms were meant?).
    std::size_t futureSamples = 0;
    std::size_t ancientSamples = 0;

    std::size_t size() const { return samples.size() + refSamples.size(); }
    /// allSamples spells every sample out in full: the scraped ones first, then `samples`.
    std::vector<Sample> allSamples() const
    {
        std::vector<Sample> out;
        out.reserve(size());
        for (const RefSample &r : refSamples)
            out.push_back(Sample{series->at(r.ref).metric, series->at(r.ref).labels, r.timestampMs, r.value});
        out.insert(out.end(), samples.begin(), samples.end());
        return out;
    }
};

/// Probe runs one check of one target. run() returns at once; `done` is called exactly once, on an
/// I/O thread. A probe is never run twice at the same time (the Scheduler guarantees it), and the
/// caller keeps the probe alive until `done` has been called.
class Probe {
public:
    virtual ~Probe() = default;
    virtual void run(std::int64_t startMs, std::function<void(ProbeOutcome)> done) = 0;
};

/// makeProbe builds the probe for a target's kind, or says why it cannot (log and promql targets
/// are not probed). Prometheus probes count their series in `live` when given. Defined in
/// probe_factory.cpp.
Result<std::unique_ptr<Probe>> makeProbe(const TargetConfig &target, HttpClient &http,
                                         std::shared_ptr<LiveSeries> live = nullptr);

/// instanceLabel is Prometheus's `instance` for a URL: host:port, with the scheme's default port.
std::string instanceLabel(const std::string &url);

} // namespace pulse
