// HostProbe over fixture /proc files (node_exporter names and units, mounts filtered as it does) and
// once over this machine's real /proc.
#include "collectors/host_probe.h"
#include "collectors/proc_parsers.h"
#include "probe_test_support.h"

#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace pulse;
using pulse::test::findSample;
using pulse::test::healthText;
using pulse::test::runProbe;
using pulse::test::valueOf;

namespace {

const std::string kFixtures = PULSE_SOURCE_DIR "/tests/collectors/fixtures/proc";

TargetConfig hostTarget()
{
    TargetConfig t{HostOptions{}};
    t.name = "this-box";
    return t;
}

HostSources fixtureSources(std::set<std::string> *statted = nullptr)
{
    HostSources sources;
    sources.procRoot = kFixtures;
    sources.ticksPerSecond = 100;
    sources.statFilesystem = [statted](const std::string &mountPoint) -> Result<FilesystemStats> {
        if (statted)
            statted->insert(mountPoint);
        return FilesystemStats{1000.0, 400.0, 300.0, 50.0, 20.0};
    };
    return sources;
}

} // namespace

class TstHostProbe : public QObject {
    Q_OBJECT
private slots:
    void fixtureValues();
    void filesystems();
    void missingStatFails();
    void realProc();
};

void TstHostProbe::fixtureValues()
{
    HostProbe probe(hostTarget(), fixtureSources());
    const auto outcome = runProbe(probe);
    QVERIFY2(outcome.health == TargetHealth::Up, outcome.error.c_str());
    QCOMPARE(valueOf(outcome, "node_cpu_seconds_total", {{"cpu", "0"}, {"mode", "user"}}), 13932.80);
    QCOMPARE(valueOf(outcome, "node_cpu_seconds_total", {{"cpu", "1"}, {"mode", "idle"}}), 133865.49);
    QCOMPARE(valueOf(outcome, "node_cpu_seconds_total", {{"cpu", "1"}, {"mode", "steal"}}), 0.0);
    QCOMPARE(valueOf(outcome, "node_cpu_guest_seconds_total", {{"cpu", "1"}, {"mode", "nice"}}), 0.12);
    QVERIFY(!findSample(outcome, "node_cpu_seconds_total", {{"cpu", ""}})); // the aggregate line is not a CPU
    std::size_t cpuSeries = 0;
    for (const auto &s : outcome.samples)
        cpuSeries += s.metric == "node_cpu_seconds_total";
    QCOMPARE(cpuSeries, std::size_t(16)); // 2 CPUs x 8 modes
    QCOMPARE(valueOf(outcome, "node_context_switches_total"), 38014093.0);
    QCOMPARE(valueOf(outcome, "node_intr_total"), 199292311.0);
    QCOMPARE(valueOf(outcome, "node_boot_time_seconds"), 1700000000.0);
    QCOMPARE(valueOf(outcome, "node_forks_total"), 26442.0);
    QCOMPARE(valueOf(outcome, "node_procs_running"), 3.0);
    QCOMPARE(valueOf(outcome, "node_procs_blocked"), 1.0);

    QCOMPARE(valueOf(outcome, "node_memory_MemAvailable_bytes"), 9815060.0 * 1024);
    QCOMPARE(valueOf(outcome, "node_memory_MemTotal_bytes"), 16318412.0 * 1024);
    QCOMPARE(valueOf(outcome, "node_memory_Active_anon_bytes"), 3458120.0 * 1024);
    QCOMPARE(valueOf(outcome, "node_memory_HugePages_Total"), 0.0);
    QCOMPARE(valueOf(outcome, "node_load1"), 0.52);
    QCOMPARE(valueOf(outcome, "node_load15"), 0.59);

    QCOMPARE(valueOf(outcome, "node_network_receive_bytes_total", {{"device", "eth0"}}), 911876230.0);
    QCOMPARE(valueOf(outcome, "node_network_receive_multicast_total", {{"device", "eth0"}}), 1044.0);
    QCOMPARE(valueOf(outcome, "node_network_receive_drop_total", {{"device", "eth0"}}), 5.0);
    QCOMPARE(valueOf(outcome, "node_network_transmit_bytes_total", {{"device", "eth0"}}), 83542172.0);
    QCOMPARE(valueOf(outcome, "node_network_transmit_packets_total", {{"device", "lo"}}), 52164.0);

    const Sample *mem = findSample(outcome, "node_memory_MemAvailable_bytes");
    QCOMPARE(mem->labels.value("job"), std::string_view("this-box"));
    QVERIFY(!mem->labels.value("instance").empty());
    QCOMPARE(valueOf(outcome, "up"), 1.0);
    QVERIFY(valueOf(outcome, "scrape_samples_scraped") > 50);
}

void TstHostProbe::filesystems()
{
    std::set<std::string> statted;
    HostProbe probe(hostTarget(), fixtureSources(&statted));
    const auto outcome = runProbe(probe);
    QVERIFY2(outcome.health == TargetHealth::Up, outcome.error.c_str());
    // Pseudo filesystems, /dev, /sys, /proc, network mounts and container layers are not statted.
    QCOMPARE(statted, (std::set<std::string>{"/", "/mnt/backup disk", "/run"}));
    QCOMPARE(valueOf(outcome, "node_filesystem_avail_bytes", {{"mountpoint", "/"}, {"device", "/dev/sda1"}, {"fstype", "ext4"}}),
             300.0);
    QCOMPARE(valueOf(outcome, "node_filesystem_size_bytes", {{"mountpoint", "/"}}), 1000.0);
    QCOMPARE(valueOf(outcome, "node_filesystem_free_bytes", {{"mountpoint", "/"}}), 400.0);
    QCOMPARE(valueOf(outcome, "node_filesystem_files_free", {{"mountpoint", "/"}}), 20.0);
    QCOMPARE(valueOf(outcome, "node_filesystem_readonly", {{"mountpoint", "/"}}), 0.0);
    QCOMPARE(valueOf(outcome, "node_filesystem_readonly", {{"mountpoint", "/mnt/backup disk"}}), 1.0);
}

void TstHostProbe::missingStatFails()
{
    QTemporaryDir empty;
    HostSources sources = fixtureSources();
    sources.procRoot = empty.path().toStdString();
    HostProbe probe(hostTarget(), sources);
    const auto outcome = runProbe(probe);
    QCOMPARE(healthText(outcome.health), healthText(TargetHealth::Down));
    QVERIFY2(QString::fromStdString(outcome.error).startsWith(QLatin1String("cannot read ")), outcome.error.c_str());
    QVERIFY2(QString::fromStdString(outcome.error).contains(QLatin1String("/stat: No such file")), outcome.error.c_str());
    QCOMPARE(valueOf(outcome, "up"), 0.0);
    QVERIFY(!findSample(outcome, "node_memory_MemAvailable_bytes"));
}

void TstHostProbe::realProc()
{
    HostProbe probe(hostTarget());
    const auto outcome = runProbe(probe);
    QVERIFY2(outcome.health == TargetHealth::Up, outcome.error.c_str());
    QVERIFY(valueOf(outcome, "node_cpu_seconds_total", {{"cpu", "0"}, {"mode", "idle"}}) > 0);
    QVERIFY(valueOf(outcome, "node_memory_MemAvailable_bytes") > 0);
    QVERIFY(findSample(outcome, "node_network_receive_bytes_total", {{"device", "lo"}}));
    QVERIFY(valueOf(outcome, "node_filesystem_size_bytes", {{"mountpoint", "/"}}) > 0);
}

QTEST_GUILESS_MAIN(TstHostProbe)
#include "tst_host_probe.moc"
