// Probe: the interface every target kind implements (prometheus, http, json, graphql, tcp, host).
#pragma once

#include "core/metric_batch.h"
#include "core/target_config.h"
#include "core/target_status.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace pulse {

class HttpClient;

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
/// are not probed). Defined in probe_factory.cpp.
Result<std::unique_ptr<Probe>> makeProbe(const TargetConfig &target, HttpClient &http);

/// instanceLabel is Prometheus's `instance` for a URL: host:port, with the scheme's default port.
std::string instanceLabel(const std::string &url);

} // namespace pulse
