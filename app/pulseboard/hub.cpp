// Hub: collectors' batches to the current sink, their statuses coalesced for the GUI (see hub.h).
#include "app/pulseboard/hub.h"

#include "app/pulseboard/alert_service.h"

#include "app/pulseboard/query_service.h"
#include "widgets/plot_series.h"

namespace pulse {

Hub::Hub(QObject *parent) : QObject(parent) {}

void Hub::append(MetricBatch batch)
{
    const std::size_t n = batch.size();
    m_samples.fetch_add(n);
    std::shared_ptr<SampleSink> sink;
    {
        std::lock_guard lock(m_sinkMutex);
        sink = m_sink;
    }
    if (sink)
        sink->append(std::move(batch)); // never blocks: the sink is bounded and counts its drops
    else
        m_unsunk.fetch_add(n);
}

void Hub::setSink(std::shared_ptr<SampleSink> sink)
{
    std::lock_guard lock(m_sinkMutex);
    m_sink = std::move(sink);
}

void Hub::publishStatus(const TargetStatus &status)
{
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
}

} // namespace pulse
