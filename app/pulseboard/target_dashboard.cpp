// Per-target drill-down dashboards.
#include "app/pulseboard/target_dashboard.h"

namespace pulse {

std::string promqlString(std::string_view value)
{
    std::string out = "\"";
    for (char c : value) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '"': out += "\\\""; break;
        case '\n': out += "\\n"; break;
        default: out += c;
        }
    }
    out += '"';
    return out;
}

namespace {

PanelConfig panel(std::string title, std::string expr, std::string unit)
{
    PanelConfig p;
    p.title = std::move(title);
    p.exprs = {std::move(expr)};
    p.unit = std::move(unit);
    return p;
}

} // namespace

DashboardConfig targetDashboard(const TargetConfig &target, bool withAlerts)
{
    const std::string job = "job=" + promqlString(target.name);
    DashboardConfig d;
    d.name = "Target: " + target.name;
    switch (target.kind()) {
    case TargetKind::Prometheus:
        d.panels.push_back(panel("Up", "up{" + job + "}", "up"));
        d.panels.push_back(panel("Scrape duration", "scrape_duration_seconds{" + job + "}", "s"));
        d.panels.push_back(panel("Samples scraped", "scrape_samples_scraped{" + job + "}", "samples"));
        d.panels.push_back(panel("Request rate (if it serves http_requests_total)",
                                 "sum by (status) (rate(http_requests_total{" + job + "}[1m]))", "req/s"));
        d.panels.push_back(panel("Error ratio (5xx)",
                                 "sum(rate(http_requests_total{" + job + ",status=~\"5..\"}[1m])) / sum(rate(http_requests_total{" +
                                     job + "}[1m]))",
                                 "ratio"));
        d.panels.push_back(panel("CPU", "rate(process_cpu_seconds_total{" + job + "}[1m])", "cores"));
        break;
    case TargetKind::Host:
        d.panels.push_back(panel("CPU busy", "1 - avg(rate(node_cpu_seconds_total{" + job + ",mode=\"idle\"}[1m]))", "ratio"));
        d.panels.push_back(panel("Memory available", "node_memory_MemAvailable_bytes{" + job + "}", "bytes"));
        d.panels.push_back(panel("Disk available", "node_filesystem_avail_bytes{" + job + "}", "bytes"));
        d.panels.push_back(panel("Network received", "rate(node_network_receive_bytes_total{" + job + "}[1m])", "bytes"));
        break;
    default:
        d.panels.push_back(panel("Success", "probe_success{" + job + "}", "up"));
        d.panels.push_back(panel("Duration", "probe_duration_seconds{" + job + "}", "s"));
        break;
    }
    if (withAlerts) {
        PanelConfig alerts = panel("Alert history", "ALERTS{" + job + "}", "");
        alerts.legend = "{{alertname}} {{alertstate}}";
        d.panels.push_back(std::move(alerts));
    }
    return d;
}

std::vector<std::string> logTargetsOf(const Config &config, const std::string &name)
{
    std::vector<std::string> out;
    for (const auto &t : config.targets) {
        if (t.kind() != TargetKind::Log)
            continue;
        if (t.name == name || t.name.starts_with(name + "-") || t.labels.value("job") == name ||
            t.labels.value("service") == name)
            out.push_back(t.name);
    }
    return out;
}

} // namespace pulse
