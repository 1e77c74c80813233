// Hub: the bridge from collector threads to the history and the GUI.
//
//   I/O threads --append()--> Hub --> the current sink: the history writer's bounded queue (or the
//                                     in-memory history when the file cannot be opened)
//
//   sink state:  opening --setSink(sink)--> open --setSink(null)--> closed
//                (batches held, bounded,    (passed on)             (dropped, counted)
//                 and handed to the sink when it is set)
//   I/O threads --publishStatus()--> latest status per target --statusesPending (once)--> GUI thread
//                                                               <--takeStatuses()-- (a few times a second)
//
// Batches never queue up as signals: they go straight into the writer's queue, which is bounded in
// bytes and drops + counts what does not fit. Statuses are coalesced: however many runs report, the
// GUI takes the latest of each target when it is ready, so its work does not grow with the scrape rate.
#pragma once

#include "core/base/metric_batch.h"
#include "core/base/target_status.h"

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

    /// append hands the batch to the current sink; before the first one is set it holds the batch (up
    /// to kHeldSamples samples / kHeldBytes), after setSink(null) it drops it; drops are counted.
    void append(MetricBatch batch) override;
    /// setSink makes `sink` receive every batch from now on, those held first; null drops them from now
    /// on. The sink must be thread-safe.
    void setSink(std::shared_ptr<SampleSink> sink);
    static constexpr std::size_t kHeldSamples = 1'000'000;
    static constexpr std::size_t kHeldBytes = 64 << 20;

    /// publishStatus records a target's latest status; the first one since the last take emits
    /// statusesPending.
    void publishStatus(const TargetStatus &status);
    /// takeStatuses returns the latest status of every target that reported since the last call.
    std::vector<TargetStatus> takeStatuses();

    /// samplesReceived counts every sample ever appended.
    std::uint64_t samplesReceived() const { return m_samples.load(); }
    /// samplesWithoutSink counts samples dropped because there was no sink (held too many before the
    /// history opened, or arriving after it closed).
    std::uint64_t samplesWithoutSink() const { return m_unsunk.load(); }
    /// duplicateSamples counts scraped samples dropped as repeats of a series within one scrape, over
    /// every status published (TargetStatus::duplicatesLastRun).
    std::uint64_t duplicateSamples() const { return m_duplicates.load(); }
    /// futureSamples counts scraped samples dropped for timestamps beyond their target's max_future.
    std::uint64_t futureSamples() const { return m_future.load(); }

signals:
    void statusesPending();

private:
    std::atomic<std::uint64_t> m_samples{0};
    std::atomic<std::uint64_t> m_unsunk{0};
    std::atomic<std::uint64_t> m_duplicates{0};
    std::atomic<std::uint64_t> m_future{0};
    std::mutex m_sinkMutex;
    std::shared_ptr<SampleSink> m_sink;
    bool m_sinkEverSet = false;
    std::vector<MetricBatch> m_held; // before the first sink: what the history file must still get
    std::size_t m_heldSamples = 0;
    std::size_t m_heldBytes = 0;
    std::mutex m_statusMutex;
    std::unordered_map<std::string, TargetStatus> m_statuses;
};

/// registerMetaTypes registers every type that crosses threads by queued signal.
void registerMetaTypes();

} // namespace pulse
