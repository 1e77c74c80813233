// Hub: queued-signal bridge from collectors to the GUI and the query thread.
#include "app/pulseboard/hub.h"

#include "app/pulseboard/alert_service.h"

#include "app/pulseboard/query_service.h"
#include "widgets/plot_series.h"

namespace pulse {

Hub::Hub(QObject *parent) : QObject(parent) {}

void Hub::append(MetricBatch batch)
{
    m_samples.fetch_add(batch.samples.size());
    emit batchReady(std::move(batch));
}

void Hub::publishStatus(const TargetStatus &status)
{
    emit statusChanged(status);
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
