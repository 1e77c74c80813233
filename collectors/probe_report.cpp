// ProbeReport and instanceLabel: the labelling every probe kind shares.
#include "collectors/probe_report.h"

#include <QUrl>

namespace pulse {

std::string instanceLabel(const std::string &url)
{
    const QUrl u(QString::fromStdString(url));
    const bool tls = u.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
    QString host = u.host(QUrl::FullyEncoded);
    if (host.contains(QLatin1Char(':')))
        host = QLatin1Char('[') + host + QLatin1Char(']');
    return (host + QLatin1Char(':') + QString::number(u.port(tls ? 443 : 80))).toStdString();
}

ProbeReport::ProbeReport(const TargetConfig &target, std::string_view instance, std::int64_t startMs)
    : m_targetLabels(target.labels), m_startMs(startMs)
{
    m_targetLabels.set("job", target.name);
    m_targetLabels.set("instance", instance);
}

void ProbeReport::add(std::string_view metric, double value)
{
    m_samples.push_back(Sample{std::string(metric), m_targetLabels, m_startMs, value});
}

void ProbeReport::add(std::string_view metric, Labels own, double value)
{
    for (const auto &l : m_targetLabels) {
        if (own.has(l.name) && !own.value(l.name).empty()) {
            const std::string theirs(own.value(l.name)); // a copy: set() may move the storage
            own.set("exported_" + l.name, theirs);
        }
        own.set(l.name, l.value);
    }
    m_samples.push_back(Sample{std::string(metric), std::move(own), m_startMs, value});
}

ProbeOutcome ProbeReport::finish(TargetHealth health, std::string error)
{
    add("up", health == TargetHealth::Down ? 0.0 : 1.0);
    ProbeOutcome out;
    out.samples = std::move(m_samples);
    out.health = health;
    out.error = std::move(error);
    return out;
}

ProbeOutcome ProbeReport::finishCheck(std::string failure, std::string slow)
{
    add("probe_success", failure.empty() ? 1.0 : 0.0);
    if (!failure.empty())
        return finish(TargetHealth::Down, std::move(failure));
    if (!slow.empty())
        return finish(TargetHealth::Degraded, std::move(slow));
    return finish(TargetHealth::Up);
}

} // namespace pulse
