// Hub: the bridge from collector threads to the GUI thread.
#pragma once

#include "core/metric_batch.h"
#include "core/target_status.h"

#include <QObject>

#include <atomic>

Q_DECLARE_METATYPE(pulse::MetricBatch)
Q_DECLARE_METATYPE(pulse::TargetStatus)

namespace pulse {

/// Hub is the SampleSink collectors write to. It forwards each batch as a queued signal (values
/// cross threads, never references) and counts samples for the status bar.
///
/// Threading: append() and publishStatus() are called on I/O threads; the signals are delivered to
/// receivers in their own threads (queued connections).
class Hub : public QObject, public SampleSink {
    Q_OBJECT
public:
    explicit Hub(QObject *parent = nullptr);

    void append(MetricBatch batch) override;
    void publishStatus(const TargetStatus &status);

    /// samplesReceived counts every sample ever appended.
    std::uint64_t samplesReceived() const { return m_samples.load(); }

signals:
    void batchReady(pulse::MetricBatch batch);
    void statusChanged(pulse::TargetStatus status);

private:
    std::atomic<std::uint64_t> m_samples{0};
};

/// registerMetaTypes registers every type that crosses threads by queued signal.
void registerMetaTypes();

} // namespace pulse
