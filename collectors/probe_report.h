// ProbeReport: one run's samples under the target's job/instance labels, turned into a ProbeOutcome.
#pragma once

#include "collectors/probe.h"

#include <string>
#include <string_view>

namespace pulse {

/// ProbeReport stamps every sample of one run with the run's start time and the target's labels
/// (`job` = target name, `instance`, the config's static labels). As in Prometheus, a target label
/// wins over a label the probe produced with the same name; the probe's value is kept as
/// `exported_<name>`.
///
/// Used by one run on one thread; not shared.
class ProbeReport {
public:
    ProbeReport(const TargetConfig &target, std::string_view instance, std::int64_t startMs);

    /// add records `metric` with only the target's labels.
    void add(std::string_view metric, double value);
    /// add records `metric` with the probe's own labels (cpu, mode, device, ...) plus the target's.
    void add(std::string_view metric, Labels own, double value);

    const Labels &targetLabels() const { return m_targetLabels; }
    std::size_t size() const { return m_samples.size(); }

    /// finish adds `up` (1 unless health is Down) and hands the samples over. Call once.
    ProbeOutcome finish(TargetHealth health, std::string error = {});
    /// finishCheck is finish() for the check kinds (http, json, graphql, tcp): it adds
    /// `probe_success` and picks the health — Down when `failure` is set, Degraded when only
    /// `slow` is, Up otherwise.
    ProbeOutcome finishCheck(std::string failure, std::string slow = {});

private:
    Labels m_targetLabels;
    std::int64_t m_startMs;
    std::vector<Sample> m_samples;
};

} // namespace pulse
