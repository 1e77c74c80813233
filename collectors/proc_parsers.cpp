// /proc text parsers for HostProbe. Lines they do not understand are skipped, not errors: the
// kernel adds fields over time, and a dashboard should not go blank because of one.
#include "collectors/proc_parsers.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

namespace pulse {

namespace {

/// Fields splits a line on spaces and tabs.
std::vector<std::string_view> fields(std::string_view line)
{
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (pos < line.size()) {
        while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t'))
            ++pos;
        const std::size_t end = line.find_first_of(" \t", pos);
        if (pos < line.size())
            out.push_back(line.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
        pos = end == std::string_view::npos ? line.size() : end;
    }
    return out;
}

template <class Fn>
void forEachLine(std::string_view text, Fn &&fn)
{
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        fn(text.substr(pos, end - pos));
        pos = end + 1;
    }
}

std::optional<double> number(std::string_view text)
{
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

std::string unescapeMountField(std::string_view text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '3') {
            const auto digit = [](char c) { return c >= '0' && c <= '7'; };
            if (digit(text[i + 2]) && digit(text[i + 3])) {
                out += static_cast<char>((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 + (text[i + 3] - '0'));
                i += 3;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

} // namespace

void parseProcStat(std::string_view text, double ticksPerSecond, HostMetrics &out)
{
    static constexpr std::array<std::string_view, 8> kModes = {"user", "nice", "system", "idle",
                                                               "iowait", "irq", "softirq", "steal"};
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kScalars = {{
        {"ctxt", "node_context_switches_total"},
        {"btime", "node_boot_time_seconds"},
        {"processes", "node_forks_total"},
        {"procs_running", "node_procs_running"},
        {"procs_blocked", "node_procs_blocked"},
        {"intr", "node_intr_total"},
    }};
    forEachLine(text, [&](std::string_view line) {
        const auto f = fields(line);
        if (f.size() < 2)
            return;
        // "cpu" alone is the sum over all CPUs; node_exporter reports per CPU only.
        if (f[0].starts_with("cpu") && f[0].size() > 3) {
            const std::string cpu(f[0].substr(3));
            for (std::size_t i = 0; i < kModes.size() && i + 1 < f.size(); ++i) {
                if (auto v = number(f[i + 1]))
                    out.push_back({"node_cpu_seconds_total", Labels(std::vector<Label>{{"cpu", cpu}, {"mode", std::string(kModes[i])}}),
                                   *v / ticksPerSecond});
            }
            const std::array<std::string_view, 2> guestModes = {"user", "nice"};
            for (std::size_t i = 0; i < guestModes.size() && i + 9 < f.size(); ++i) {
                if (auto v = number(f[i + 9]))
                    out.push_back({"node_cpu_guest_seconds_total",
                                   Labels(std::vector<Label>{{"cpu", cpu}, {"mode", std::string(guestModes[i])}}), *v / ticksPerSecond});
            }
            return;
        }
        for (const auto &[key, metric] : kScalars) {
            if (f[0] == key) {
                if (auto v = number(f[1]))
                    out.push_back({std::string(metric), Labels(), *v});
            }
        }
    });
}

void parseMeminfo(std::string_view text, HostMetrics &out)
{
    forEachLine(text, [&](std::string_view line) {
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos)
            return;
        std::string name;
        for (char c : line.substr(0, colon)) {
            if (c == '(')
                name += '_';
            else if (c != ')')
                name += c;
        }
        const auto f = fields(line.substr(colon + 1));
        if (f.empty())
            return;
        const auto v = number(f[0]);
        if (!v)
            return;
        if (f.size() > 1 && f[1] == "kB")
            out.push_back({"node_memory_" + name + "_bytes", Labels(), *v * 1024});
        else
            out.push_back({"node_memory_" + name, Labels(), *v});
    });
}

void parseLoadavg(std::string_view text, HostMetrics &out)
{
    const auto f = fields(text.substr(0, text.find('\n')));
    static constexpr std::array<std::string_view, 3> kNames = {"node_load1", "node_load5", "node_load15"};
    for (std::size_t i = 0; i < kNames.size() && i < f.size(); ++i) {
        if (auto v = number(f[i]))
            out.push_back({std::string(kNames[i]), Labels(), *v});
    }
}

void parseNetDev(std::string_view text, HostMetrics &out)
{
    static constexpr std::array<std::string_view, 16> kCounters = {
        "receive_bytes",  "receive_packets",  "receive_errs",  "receive_drop",     "receive_fifo",
        "receive_frame",  "receive_compressed", "receive_multicast", "transmit_bytes", "transmit_packets",
        "transmit_errs",  "transmit_drop",    "transmit_fifo", "transmit_colls",   "transmit_carrier",
        "transmit_compressed"};
    forEachLine(text, [&](std::string_view line) {
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos)
            return; // the two header lines have '|' but no ':'
        const auto name = fields(line.substr(0, colon));
        if (name.size() != 1)
            return;
        const auto f = fields(line.substr(colon + 1));
        for (std::size_t i = 0; i < kCounters.size() && i < f.size(); ++i) {
            if (auto v = number(f[i]))
                out.push_back({"node_network_" + std::string(kCounters[i]) + "_total",
                               Labels(std::vector<Label>{{"device", std::string(name[0])}}), *v});
        }
    });
}

std::vector<MountEntry> parseMounts(std::string_view text)
{
    std::vector<MountEntry> mounts;
    forEachLine(text, [&](std::string_view line) {
        const auto f = fields(line);
        if (f.size() < 4)
            return;
        MountEntry m{unescapeMountField(f[0]), unescapeMountField(f[1]), std::string(f[2]), false};
        const std::string_view options = f[3];
        m.readOnly = options == "ro" || options.starts_with("ro,");
        mounts.push_back(std::move(m));
    });
    return mounts;
}

bool isReportedFilesystem(const MountEntry &mount)
{
    static constexpr std::array<std::string_view, 30> kIgnoredTypes = {
        "autofs",   "binfmt_misc", "bpf",      "cgroup",    "cgroup2",  "configfs", "debugfs",  "devpts",
        "devtmpfs", "fusectl",     "hugetlbfs", "iso9660",  "mqueue",   "nsfs",     "overlay",  "proc",
        "procfs",   "pstore",      "rpc_pipefs", "securityfs", "selinuxfs", "squashfs", "sysfs", "tracefs",
        "nfs",      "nfs4",        "cifs",     "smb3",      "fuse.sshfs", "9p"};
    if (std::ranges::find(kIgnoredTypes, mount.fsType) != kIgnoredTypes.end())
        return false;
    const std::string_view mp = mount.mountPoint;
    auto under = [&](std::string_view dir) { return mp == dir || mp.starts_with(std::string(dir) + "/"); };
    return !(under("/dev") || under("/proc") || under("/sys") || mp.starts_with("/run/credentials/") ||
             mp.starts_with("/var/lib/docker/") || mp.starts_with("/var/lib/containers/storage/"));
}

} // namespace pulse
