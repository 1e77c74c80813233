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
/// `up` (or `probe_success`) = 0 through `samples`.
struct ProbeOutcome {
    std::vector<Sample> samples;
    TargetHealth health = TargetHealth::Down;
    std::string error; ///< empty on success; untrusted text (may quote a server's answer)
};

/// Probe runs one check of one target. run() returns at once; `done` is called exactly once, on an
/// I/O thread. A probe is never run twice at the same time (the Scheduler guarantees it).
class Probe {
public:
    virtual ~Probe() = default;
    virtual void run(std::int64_t startMs, std::function<void(ProbeOutcome)> done) = 0;
};

/// makeProbe builds the probe for a target's kind, or says why it cannot.
Result<std::unique_ptr<Probe>> makeProbe(const TargetConfig &target, HttpClient &http);

/// instanceLabel is Prometheus's `instance` for a URL: host:port, with the scheme's default port.
std::string instanceLabel(const std::string &url);

} // namespace pulse
