// makeProbe: the one place that maps a target kind to its probe class.
#include "collectors/graphql_probe.h"
#include "collectors/host_probe.h"
#include "collectors/http_client.h"
#include "collectors/http_probe.h"
#include "collectors/json_probe.h"
#include "collectors/prometheus_probe.h"
#include "collectors/tcp_probe.h"

namespace pulse {

Result<std::unique_ptr<Probe>> makeProbe(const TargetConfig &target, HttpClient &http,
                                         std::shared_ptr<LiveSeries> live)
{
    switch (target.kind()) {
    case TargetKind::Prometheus:
        return std::make_unique<PrometheusProbe>(target, http, std::move(live));
    case TargetKind::Http:
        return std::make_unique<HttpProbe>(target, http);
    case TargetKind::Json:
        return std::make_unique<JsonProbe>(target, http);
    case TargetKind::GraphQL:
        return std::make_unique<GraphQLProbe>(target, http);
    case TargetKind::Tcp:
        return std::make_unique<TcpProbe>(target, http.runtime(), http.resolver());
    case TargetKind::Host:
        return std::make_unique<HostProbe>(target);
    case TargetKind::Log:
    case TargetKind::PromQL:
        break;
    }
    return fail("targets of kind '" + std::string(targetKindName(target.kind())) + "' are not probed");
}

} // namespace pulse
