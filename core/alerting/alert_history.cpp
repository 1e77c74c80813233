// alertHistory: runs of ALERTS samples into alert instances (see alert_history.h).
#include "core/alerting/alert_history.h"

#include <algorithm>
#include <map>
#include <optional>

namespace pulse {

std::string AlertInstance::state() const
{
    if (endedAtMs != 0)
        return "resolved";
    return firedAtMs != 0 ? "firing" : "pending";
}

namespace {

struct Run {
    bool firing = false;
    std::int64_t startMs = 0;
    std::int64_t lastMs = 0;
    std::int64_t endMs = 0; ///< the marker's time; 0 while open
    bool cut = false;       ///< ended by a gap in the samples, not by a marker
};

std::vector<Run> runsOf(const SeriesData &s, bool firing, std::int64_t gapMs)
{
    std::vector<Run> runs;
    std::optional<Run> open;
    for (std::size_t i = 0; i < s.timestampsMs.size(); ++i) {
        const std::int64_t t = s.timestampsMs[i];
        // A gap longer than gapMs without a marker: Pulseboard was not running. What came before
        // ended then, at a time nobody saw (endMs stays 0; the caller marks it unknown).
        if (open && t - open->lastMs > gapMs) {
            open->cut = true;
            runs.push_back(*open);
            open.reset();
        }
        if (isStaleMarker(s.values[i])) {
            if (open) {
                open->endMs = t;
                runs.push_back(*open);
                open.reset();
            }
            continue;
        }
        if (!open)
            open = Run{firing, t, t, 0, false};
        open->lastMs = t;
    }
    if (open)
        runs.push_back(*open);
    return runs;
}

} // namespace

std::vector<AlertInstance> alertHistory(const std::vector<SeriesData> &alerts, std::int64_t nowMs,
                                        std::int64_t openForMs)
{
    std::map<Labels, std::vector<Run>> byInstance;
    for (const SeriesData &s : alerts) {
        const std::string_view state = s.labels.value("alertstate");
        if (state != "pending" && state != "firing")
            continue;
        Labels labels = s.labels;
        labels.remove("alertstate");
        auto runs = runsOf(s, state == "firing", openForMs);
        auto &all = byInstance[labels];
        all.insert(all.end(), runs.begin(), runs.end());
    }
    // A firing run belongs to the pending run just before it: the evaluation that fires an alert
    // ends its pending series (marker) and starts its firing one at the same time.
    constexpr std::int64_t kJoinMs = 60'000;
    std::vector<AlertInstance> out;
    for (auto &[labels, runs] : byInstance) {
        std::sort(runs.begin(), runs.end(), [](const Run &a, const Run &b) { return a.startMs < b.startMs; });
        const std::string name(labels.value("alertname"));
        std::optional<Run> pending;
        for (const Run &run : runs) {
            if (!run.firing) {
                pending = run; // an earlier pending run that never fired is not an alert
                continue;
            }
            AlertInstance instance{name, labels, run.startMs, run.startMs, 0, run.lastMs};
            if (pending && run.startMs - (pending->endMs != 0 ? pending->endMs : pending->lastMs) <= kJoinMs)
                instance.activeAtMs = pending->startMs;
            pending.reset();
            if (run.endMs != 0) {
                instance.endedAtMs = run.endMs;
            } else if (run.cut || run.lastMs < nowMs - openForMs) {
                instance.endedAtMs = run.lastMs;
                instance.endKnown = false;
            }
            out.push_back(std::move(instance));
        }
        if (pending && pending->endMs == 0 && pending->lastMs >= nowMs - openForMs)
            out.push_back(AlertInstance{name, labels, pending->startMs, 0, 0, pending->lastMs});
    }
    std::sort(out.begin(), out.end(),
              [](const AlertInstance &a, const AlertInstance &b) { return a.activeAtMs < b.activeAtMs; });
    return out;
}

} // namespace pulse
