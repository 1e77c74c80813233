// The built-in demo config.
#include "app/pulseboard/demo_config.h"

namespace pulse {

namespace {

/// yamlQuoted writes a single-quoted YAML scalar (a quote inside is doubled).
std::string yamlQuoted(const std::string &text)
{
    std::string out = "'";
    for (char c : text) {
        if (c == '\'')
            out += '\'';
        out += c;
    }
    return out + "'";
}

} // namespace

std::string demoConfigYaml(const std::string &address, const std::string &accessLog, const std::string &appLog)
{
    std::string yaml = R"(# Pulseboard's built-in demo: the simulated service started in-process.
targets:
  - name: demo
    kind: prometheus
    url: http://ADDRESS/metrics
    interval: 1s
    timeout: 1s
LOGS
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
    // The log targets' names start with the service's, which ties them to it for drill-down.
    std::string logs;
    if (!accessLog.empty())
        logs += "  - {name: demo-access, kind: log, format: nginx_combined, path: " + yamlQuoted(accessLog) + "}\n";
    if (!appLog.empty())
        logs += "  - {name: demo-app, kind: log, format: json_lines, path: " + yamlQuoted(appLog) + "}\n";
    const std::string slot = "LOGS\n";
    yaml.replace(yaml.find(slot), slot.size(), logs);
    return yaml;
}

} // namespace pulse
