// The built-in demo config.
#include "app/pulseboard/demo_config.h"

namespace pulse {

std::string demoConfigYaml(const std::string &address)
{
    std::string yaml = R"(# Pulseboard's built-in demo: the simulated service started in-process.
targets:
  - name: demo
    kind: prometheus
    url: http://ADDRESS/metrics
    interval: 1s
    timeout: 1s
dashboards:
  - name: Demo service
    panels:
      - title: Request rate by status
        expr: 'sum by (status) (rate(http_requests_total[30s]))'
        unit: req/s
      - title: p95 latency
        expr: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[30s])))'
        unit: s
      - title: Error ratio (5xx)
        expr: 'sum(rate(http_requests_total{status=~"5.."}[30s])) / sum(rate(http_requests_total[30s]))'
        unit: ratio
      - title: Database pool
        expr: 'db_pool_connections'
        unit: connections
      - title: Resident memory
        expr: 'process_resident_memory_bytes'
        unit: bytes
      - title: Scrape health
        expr: 'up'
        unit: up
)";
    const std::string token = "ADDRESS";
    yaml.replace(yaml.find(token), token.size(), address);
    return yaml;
}

} // namespace pulse
