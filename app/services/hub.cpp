// Hub: collectors' batches to the current sink, their statuses coalesced for the GUI (see hub.h).
#include "app/services/hub.h"

#include "app/services/alert_service.h"
#include "app/services/notification_service.h"

#include "app/services/query_service.h"
#include "core/plot/plot_series.h"
#include "storage/sample_writer.h"

namespace pulse {

Hub::Hub(QObject *parent) : QObject(parent) {}

void Hub::append(MetricBatch batch)
{
    const std::size_t n = batch.size();
    m_samples.fetch_add(n);
    std::shared_ptr<SampleSink> sink;
    {
        std::lock_guard lock(m_sinkMutex);
        if (!m_sinkEverSet) {
            // The history file is still opening (migrations, log replay): hold the batch for it.
            const std::size_t bytes = storage::batchBytes(batch);
            if (m_heldSamples + n <= kHeldSamples && m_heldBytes + bytes <= kHeldBytes) {
                m_heldSamples += n;
                m_heldBytes += bytes;
                m_held.push_back(std::move(batch));
                return;
            }
        }
        sink = m_sink;
    }
    if (sink)
        sink->append(std::move(batch)); // never blocks: the sink is bounded and counts its drops
    else
        m_unsunk.fetch_add(n);
}

void Hub::setSink(std::shared_ptr<SampleSink> sink)
{
    std::vector<MetricBatch> held;
    std::lock_guard lock(m_sinkMutex);
    if (sink && !m_sinkEverSet) {
        // Under the lock, so that nothing appended meanwhile overtakes what was held.
        held.swap(m_held);
        m_heldSamples = m_heldBytes = 0;
        for (MetricBatch &b : held)
            sink->append(std::move(b));
    }
    m_sinkEverSet = m_sinkEverSet || sink != nullptr;
    if (!sink && !m_sinkEverSet) {
        for (const MetricBatch &b : m_held)
            m_unsunk.fetch_add(b.size());
        m_held.clear();
        m_sinkEverSet = true; // closed before it ever opened: drop from now on
    }
    m_sink = std::move(sink);
}

void Hub::publishStatus(const TargetStatus &status)
{
    if (status.duplicatesLastRun != 0)
        m_duplicates += status.duplicatesLastRun;
    if (status.futureLastRun != 0)
        m_future += status.futureLastRun;
    bool first = false;
    {
        std::lock_guard lock(m_statusMutex);
        first = m_statuses.empty();
        m_statuses.insert_or_assign(status.name, status);
    }
    if (first)
        emit statusesPending();
}

std::vector<TargetStatus> Hub::takeStatuses()
{
    std::unordered_map<std::string, TargetStatus> taken;
    {
        std::lock_guard lock(m_statusMutex);
        taken.swap(m_statuses);
    }
    std::vector<TargetStatus> out;
    out.reserve(taken.size());
    for (auto &[name, status] : taken)
        out.push_back(std::move(status));
    return out;
}

void registerMetaTypes()
{
    qRegisterMetaType<pulse::MetricBatch>();
    qRegisterMetaType<pulse::TargetStatus>();
    qRegisterMetaType<pulse::PanelData>();
    qRegisterMetaType<pulse::QueryRequest>();
    qRegisterMetaType<QHash<QString, double>>();
    qRegisterMetaType<pulse::StoreStatus>();
    qRegisterMetaType<pulse::LogQuery>();
    qRegisterMetaType<pulse::LogQueryAnswer>();
    qRegisterMetaType<pulse::AlertSnapshot>();
    qRegisterMetaType<pulse::NotificationStatus>();
}

} // namespace pulse
