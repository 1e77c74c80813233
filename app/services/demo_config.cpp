// The built-in demo config.
#include "app/services/demo_config.h"

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
# The demo's incidents (a latency spike, a 5xx burst, refused connections) come round every few
# minutes, so these rules fire, show on the charts as lines and bands, and resolve again.
alerts:
  - name: DemoDown
    expr: 'up{job="demo"} == 0'
    for: 2s
    severity: critical
    annotations:
      summary: '{{ $labels.instance }} does not answer scrapes'
  - name: HighErrorRatio
    expr: 'sum by (job) (rate(http_requests_total{status=~"5.."}[30s])) / sum by (job) (rate(http_requests_total[30s])) > 0.05'
    for: 5s
    severity: critical
    annotations:
      summary: '{{ $value | humanizePercentage }} of requests to {{ $labels.job }} fail'
  - name: SlowRequests
    expr: 'histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket[30s]))) > 0.5'
    for: 10s
    severity: warning
    annotations:
      summary: 'p95 latency of {{ $labels.job }} is {{ $value | humanizeDuration }}'
dashboards:
  - name: Demo service
    panels:
      - title: Request rate by status
        expr: 'sum by (status) (rate(http_requests_total[30s]))'
        unit: req/s
      - title: p95 latency
        expr: 'histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket[30s])))'
        unit: s
        legend: '{{job}}'
      - title: Error ratio (5xx)
        expr: 'sum by (job) (rate(http_requests_total{status=~"5.."}[30s])) / sum by (job) (rate(http_requests_total[30s]))'
        unit: ratio
        legend: '{{job}}'
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
