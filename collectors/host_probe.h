// HostProbe: this machine's CPU, memory, load, network and filesystems, as node_exporter names them.
#pragma once

#include "collectors/probe.h"

#include <functional>
#include <string>

namespace pulse {

/// FilesystemStats is what statvfs says about one mount, in bytes and inodes.
struct FilesystemStats {
    double sizeBytes = 0;
    double freeBytes = 0;
    double availBytes = 0;
    double files = 0;
    double filesFree = 0;
};

/// HostSources says where HostProbe reads from; tests point it at fixture files.
struct HostSources {
    std::string procRoot = "/proc";
    double ticksPerSecond = 0; ///< 0 = sysconf(_SC_CLK_TCK)
    /// statFilesystem is statvfs by default.
    std::function<Result<FilesystemStats>(const std::string &mountPoint)> statFilesystem;
};

/// HostProbe reads <procRoot>/stat, meminfo, loadavg, net/dev and mounts (+ statvfs per reported
/// mount, see isReportedFilesystem) and reports node_cpu_seconds_total{cpu,mode},
/// node_memory_*_bytes, node_load1/5/15, node_network_*_total{device},
/// node_filesystem_{size,free,avail}_bytes / files / files_free / readonly{device,fstype,mountpoint},
/// plus up and scrape_duration_seconds. `instance` is the machine's host name.
/// stat and meminfo are required (a run without them fails); the others are skipped when absent.
///
/// run() does its reading synchronously on the calling thread (an I/O thread under the Scheduler):
/// a handful of small in-memory files, well under a millisecond.
class HostProbe final : public Probe {
public:
    explicit HostProbe(TargetConfig target, HostSources sources = {});
    void run(std::int64_t startMs, std::function<void(ProbeOutcome)> done) override;

private:
    TargetConfig m_target;
    HostSources m_sources;
    std::string m_instance;
};

} // namespace pulse
