// Helpers shared by the probe tests: run a probe to completion, find a sample by name and labels.
#pragma once

#include "collectors/probe.h"

#include <QString>

#include <chrono>
#include <future>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>

namespace pulse::test {

/// healthText is for QCOMPARE: comparing names prints them on failure.
inline QString healthText(TargetHealth health)
{
    return QString::fromLatin1(pulse::healthName(health));
}

/// runProbe runs one probe to completion. Must not be called from an I/O thread.
inline ProbeOutcome runProbe(Probe &probe, std::int64_t startMs = 1'700'000'000'000)
{
    auto promise = std::make_shared<std::promise<ProbeOutcome>>();
    auto future = promise->get_future();
    probe.run(startMs, [promise](ProbeOutcome outcome) { promise->set_value(std::move(outcome)); });
    if (future.wait_for(std::chrono::seconds(20)) != std::future_status::ready)
        return ProbeOutcome{{}, TargetHealth::Unknown, "the probe never called done", {}, {}, false};
    // Spelled out in full, so tests look at every sample the same way whatever form the probe used.
    ProbeOutcome outcome = future.get();
    outcome.samples = outcome.allSamples();
    outcome.refSamples.clear();
    outcome.series.reset();
    return outcome;
}

/// findSample is the first sample named `metric` whose labels include every `want` pair.
inline const Sample *findSample(const ProbeOutcome &outcome, const std::string &metric,
                                std::initializer_list<std::pair<const char *, const char *>> want = {})
{
    for (const auto &s : outcome.samples) {
        if (s.metric != metric)
            continue;
        bool all = true;
        for (const auto &[name, value] : want)
            all = all && s.labels.value(name) == value;
        if (all)
            return &s;
    }
    return nullptr;
}

/// valueOf is the value of findSample, or -12345 when it is missing (a value no test expects).
inline double valueOf(const ProbeOutcome &outcome, const std::string &metric,
                      std::initializer_list<std::pair<const char *, const char *>> want = {})
{
    const Sample *s = findSample(outcome, metric, want);
    return s ? s->value : -12345;
}

} // namespace pulse::test
