// Parsers for the /proc files the host probe reads. Pure functions over text, tested with fixtures;
// metric names follow node_exporter so dashboards written for it work here.
#pragma once

#include "core/base/labels.h"

#include <string>
#include <string_view>
#include <vector>

namespace pulse {

/// HostMetric is one value a /proc file yields, before the target's labels are added.
struct HostMetric {
    std::string name;
    Labels labels;
    double value = 0;
};
using HostMetrics = std::vector<HostMetric>;

/// parseProcStat reads /proc/stat: node_cpu_seconds_total{cpu,mode} per CPU (ticks divided by
/// `ticksPerSecond`), node_cpu_guest_seconds_total{cpu,mode}, node_context_switches_total,
/// node_intr_total, node_forks_total, node_boot_time_seconds, node_procs_running, node_procs_blocked.
void parseProcStat(std::string_view text, double ticksPerSecond, HostMetrics &out);

/// parseMeminfo reads /proc/meminfo: node_memory_<Field>_bytes for fields in kB ("Active(anon)"
/// becomes Active_anon), node_memory_<Field> for plain counts (HugePages_Total).
void parseMeminfo(std::string_view text, HostMetrics &out);

/// parseLoadavg reads /proc/loadavg: node_load1, node_load5, node_load15.
void parseLoadavg(std::string_view text, HostMetrics &out);

/// parseNetDev reads /proc/net/dev: node_network_{receive,transmit}_<counter>_total{device}.
void parseNetDev(std::string_view text, HostMetrics &out);

/// MountEntry is one line of /proc/mounts, with the octal escapes (\040 for space) undone.
struct MountEntry {
    std::string device;
    std::string mountPoint;
    std::string fsType;
    bool readOnly = false;
};

/// parseMounts reads /proc/mounts (or /proc/self/mounts).
std::vector<MountEntry> parseMounts(std::string_view text);

/// isReportedFilesystem drops what node_exporter drops by default — pseudo filesystems (proc,
/// sysfs, cgroup, tmpfs-like kernel mounts, overlay, squashfs) and mounts under /dev, /proc, /sys,
/// /run/credentials and container storage — and also network filesystems, whose statvfs can hang
/// an I/O thread on a dead server.
bool isReportedFilesystem(const MountEntry &mount);

} // namespace pulse
