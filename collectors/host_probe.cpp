// HostProbe: reads /proc with read(2) (never mmap: a file that shrinks under us must not SIGBUS) and
// statvfs, and hands the values to ProbeReport.
#include "collectors/host_probe.h"

#include "collectors/probe_report.h"
#include "collectors/proc_parsers.h"

#include <QSysInfo>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace pulse {

namespace {

constexpr std::size_t kMaxProcFileBytes = 4 * 1024 * 1024;

/// readProcFile reads a whole /proc file; they report size 0, so read until EOF.
Result<std::string> readProcFile(const std::string &path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail("cannot read " + path + ": " + std::strerror(errno));
    std::string text;
    char buffer[16 * 1024];
    while (text.size() < kMaxProcFileBytes) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            const int error = errno;
            ::close(fd);
            return fail("cannot read " + path + ": " + std::strerror(error));
        }
        if (n == 0)
            break;
        text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return text;
}

Result<FilesystemStats> statvfsStats(const std::string &mountPoint)
{
    struct statvfs s{};
    if (::statvfs(mountPoint.c_str(), &s) != 0)
        return fail("statvfs " + mountPoint + ": " + std::strerror(errno));
    const double block = static_cast<double>(s.f_frsize);
    return FilesystemStats{static_cast<double>(s.f_blocks) * block, static_cast<double>(s.f_bfree) * block,
                           static_cast<double>(s.f_bavail) * block, static_cast<double>(s.f_files),
                           static_cast<double>(s.f_ffree)};
}

void addFilesystems(const std::vector<MountEntry> &mounts, const HostSources &sources, HostMetrics &out)
{
    for (const auto &m : mounts) {
        if (!isReportedFilesystem(m))
            continue;
        auto stats = sources.statFilesystem(m.mountPoint);
        if (!stats)
            continue; // e.g. a mount point we may not enter; node_exporter skips these too
        const Labels labels({{"device", m.device}, {"fstype", m.fsType}, {"mountpoint", m.mountPoint}});
        out.push_back({"node_filesystem_size_bytes", labels, stats->sizeBytes});
        out.push_back({"node_filesystem_free_bytes", labels, stats->freeBytes});
        out.push_back({"node_filesystem_avail_bytes", labels, stats->availBytes});
        out.push_back({"node_filesystem_files", labels, stats->files});
        out.push_back({"node_filesystem_files_free", labels, stats->filesFree});
        out.push_back({"node_filesystem_readonly", labels, m.readOnly ? 1.0 : 0.0});
    }
}

} // namespace

HostProbe::HostProbe(TargetConfig target, HostSources sources)
    : m_target(std::move(target)), m_sources(std::move(sources)),
      m_instance(QSysInfo::machineHostName().toStdString())
{
    if (m_sources.ticksPerSecond <= 0) {
        const long ticks = ::sysconf(_SC_CLK_TCK);
        m_sources.ticksPerSecond = ticks > 0 ? static_cast<double>(ticks) : 100.0;
    }
    if (!m_sources.statFilesystem)
        m_sources.statFilesystem = statvfsStats;
}

void HostProbe::run(std::int64_t startMs, std::function<void(ProbeOutcome)> done)
{
    const auto t0 = std::chrono::steady_clock::now();
    ProbeReport report(m_target, m_instance, startMs);
    const std::string &root = m_sources.procRoot;
    HostMetrics metrics;
    std::string failure;
    if (auto stat = readProcFile(root + "/stat"))
        parseProcStat(*stat, m_sources.ticksPerSecond, metrics);
    else
        failure = stat.error().message;
    if (auto meminfo = readProcFile(root + "/meminfo"))
        parseMeminfo(*meminfo, metrics);
    else if (failure.empty())
        failure = meminfo.error().message;
    if (auto loadavg = readProcFile(root + "/loadavg"))
        parseLoadavg(*loadavg, metrics);
    if (auto netdev = readProcFile(root + "/net/dev"))
        parseNetDev(*netdev, metrics);
    if (auto mounts = readProcFile(root + "/mounts"))
        addFilesystems(parseMounts(*mounts), m_sources, metrics);

    // Like a failed scrape, a failed run keeps none of its partial data.
    if (failure.empty()) {
        for (auto &m : metrics)
            report.add(m.name, std::move(m.labels), m.value);
    }
    const double scraped = static_cast<double>(report.size());
    report.add("scrape_duration_seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    report.add("scrape_samples_scraped", scraped);
    const TargetHealth health = failure.empty() ? TargetHealth::Up : TargetHealth::Down;
    done(report.finish(health, std::move(failure)));
}

} // namespace pulse
