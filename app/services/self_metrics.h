// SelfMetrics: Pulseboard's own health as ordinary series (job="pulseboard"), as Prometheus exposes
// its own /metrics — so a full queue, a lagging writer or a growing log store can be charted and
// alerted on like anything else.
#pragma once

#include "core/base/metric_batch.h"
#include "core/config/config.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pulse {

class LogStore;
namespace storage {
struct WriterStatus;
}

/// SelfCounters are read from whatever thread collects; every function must be thread-safe.
/// ReceiverFigures are one notification receiver's counts (NotificationService::figures).
struct ReceiverFigures {
    std::string receiver;
    std::uint64_t sent = 0;
    std::uint64_t failed = 0;
    std::int64_t waiting = 0;
};

/// NotificationFigures are every receiver's, and what a full outbox dropped.
struct NotificationFigures {
    std::vector<ReceiverFigures> receivers;
    std::uint64_t dropped = 0;
};

struct SelfCounters {
    std::function<std::uint64_t()> samplesReceived;     ///< every sample a collector handed over
    std::function<std::uint64_t()> httpIdleDropped;     ///< keep-alive connections closed: pool full
    const LogStore *logs = nullptr;
    std::function<std::uint64_t()> samplesWithoutSink; ///< dropped: no history to write to (shutdown)
    std::function<double()> guiLoopLagMs;               ///< the GUI event loop's worst lateness lately
    std::function<std::uint64_t()> duplicateSamples{}; ///< repeats of a series within one scrape, dropped
    std::function<std::uint64_t()> futureSamples{};    ///< stamped beyond a target's max_future, dropped
    std::function<NotificationFigures()> notifications{}; ///< called on the query thread
};

/// WriterFigures is what the query thread knows about the history file.
struct WriterFigures {
    bool ok = true;
    std::uint64_t committedSamples = 0;
    std::uint64_t droppedSamples = 0;
    std::uint64_t outOfOrderSamples = 0;
    std::uint64_t seriesCount = 0;
    std::uint64_t quarantinedSeries = 0;
    std::int64_t lagMs = 0;
    std::int64_t fileBytes = 0;
    std::uint64_t queuedSamples = 0;
    std::uint64_t queuedBytes = 0;
    std::uint64_t queueCapacityBytes = 0;
};

/// residentBytes is this process's resident memory, read from /proc/self/statm (procfs: no disk behind
/// it); 0 when unavailable.
double residentBytes();

/// selfMetricsBatch builds one batch of `pulse_*` and `process_*` samples at nowMs, labelled
/// job="pulseboard", instance="localhost". `writer` is absent when no history file is open.
MetricBatch selfMetricsBatch(const SelfCounters &counters, const std::optional<WriterFigures> &writer,
                             std::int64_t nowMs);

/// selfDashboard charts those series (View → Pulseboard Itself).
DashboardConfig selfDashboard();

} // namespace pulse
