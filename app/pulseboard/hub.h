// Hub: the bridge from collector threads to the history and the GUI.
//
//   I/O threads --append()--> Hub --> the current sink: the history writer's bounded queue
//                                     (or the in-memory history while no file is open)
//   I/O threads --publishStatus()--> latest status per target --statusesPending (once)--> GUI thread
//                                                               <--takeStatuses()-- (a few times a second)
//
// Batches never queue up as signals: they go straight into the writer's queue, which is bounded in
// bytes and drops + counts what does not fit. Statuses are coalesced: however many runs report, the
// GUI takes the latest of each target when it is ready, so its work does not grow with the scrape rate.
#pragma once

#include "core/metric_batch.h"
#include "core/target_status.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

Q_DECLARE_METATYPE(pulse::MetricBatch)
Q_DECLARE_METATYPE(pulse::TargetStatus)

namespace pulse {

/// Hub is the SampleSink collectors write to.
///
/// Threading: append(), setSink(), publishStatus() and the counters may be called from any thread;
/// takeStatuses() by one consumer (the GUI thread). statusesPending is emitted on the publishing thread;
/// connect it queued.
class Hub : public QObject, public SampleSink {
    Q_OBJECT
public:
    explicit Hub(QObject *parent = nullptr);

    /// append hands the batch to the current sink (or drops and counts it when there is none).
    void append(MetricBatch batch) override;
    /// setSink makes `sink` receive every batch from now on; null drops them. The sink must be thread-safe.
    void setSink(std::shared_ptr<SampleSink> sink);

    /// publishStatus records a target's latest status; the first one since the last take emits
    /// statusesPending.
    void publishStatus(const TargetStatus &status);
    /// takeStatuses returns the latest status of every target that reported since the last call.
    std::vector<TargetStatus> takeStatuses();

    /// samplesReceived counts every sample ever appended.
    std::uint64_t samplesReceived() const { return m_samples.load(); }
    /// samplesWithoutSink counts samples dropped because no sink was set.
    std::uint64_t samplesWithoutSink() const { return m_unsunk.load(); }

signals:
    void statusesPending();

private:
    std::atomic<std::uint64_t> m_samples{0};
    std::atomic<std::uint64_t> m_unsunk{0};
    std::mutex m_sinkMutex;
    std::shared_ptr<SampleSink> m_sink;
    std::mutex m_statusMutex;
    std::unordered_map<std::string, TargetStatus> m_statuses;
};

/// registerMetaTypes registers every type that crosses threads by queued signal.
void registerMetaTypes();

} // namespace pulse
