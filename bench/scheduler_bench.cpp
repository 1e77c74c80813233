// scheduler_bench: N prometheus targets on one loopback ExpositionServer, scraped through the real
// Scheduler + HttpClient + parser into a counting SampleSink for a fixed time.
//   scheduler_bench [--targets N] [--seconds S] [--interval-ms MS]
//   scheduler_bench --serve SECONDS --port-file FILE [--targets N]
// The first form forks the server into a child process before any thread exists, so getrusage of
// this process is the collectors' CPU alone; it prints key=value lines. The second form only serves
// (for a Prometheus scraping the same targets) and writes its port to FILE.
#include "exposition_server.h"

#include "collectors/http_client.h"
#include "collectors/io_runtime.h"
#include "collectors/scheduler.h"
#include "core/base/clock.h"
#include "core/base/metric_batch.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Options {
    int targets = 1000;
    int seconds = 60;
    int intervalMs = 1000;
    int serveSeconds = 0;
    std::string portFile;
};

// StartRecorder counts samples and remembers when each target's scrapes started.
// append() runs on I/O threads; the rest is read after the scheduler has stopped.
class StartRecorder final : public pulse::SampleSink {
public:
    explicit StartRecorder(int targets) : m_starts(static_cast<std::size_t>(targets)) {}

    void append(pulse::MetricBatch batch) override
    {
        m_samples.fetch_add(batch.size(), std::memory_order_relaxed);
        double up = 0;
        for (const auto &s : batch.samples) {
            if (s.metric == "up") {
                up = s.value;
                break;
            }
        }
        const auto index = static_cast<std::size_t>(std::stoul(batch.target.substr(1)));
        std::lock_guard lock(m_mutex);
        m_failed += up == 1 ? 0 : 1;
        if (index < m_starts.size())
            m_starts[index].push_back(batch.scrapeStartMs);
    }

    std::uint64_t samples() const { return m_samples.load(); }
    std::uint64_t failed() const { return m_failed; }
    std::vector<std::vector<std::int64_t>> &starts() { return m_starts; }

private:
    std::atomic<std::uint64_t> m_samples{0};
    std::mutex m_mutex;
    std::uint64_t m_failed = 0;                      // guarded by m_mutex
    std::vector<std::vector<std::int64_t>> m_starts; // guarded by m_mutex
};

double cpuSeconds(const rusage &r)
{
    return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
           static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

std::vector<std::string> makeBodies(int targets)
{
    std::vector<std::string> bodies;
    for (int i = 0; i < targets; ++i)
        bodies.push_back(pulse::bench::makeTargetExposition(i));
    return bodies;
}

int serve(const Options &o)
{
    pulse::bench::ExpositionServer server(makeBodies(o.targets));
    if (server.port() == 0) {
        std::cerr << "scheduler_bench: cannot listen on 127.0.0.1\n";
        return 1;
    }
    std::ofstream(o.portFile) << server.port() << "\n";
    server.run(std::chrono::seconds(o.serveSeconds));
    std::cout << "server_requests=" << server.requests() << "\n";
    return 0;
}

// Lateness of each start after its slot, and slots with no start within one interval after them.
struct Punctuality {
    std::uint64_t slotCount = 0;
    std::uint64_t missedCount = 0;
    std::vector<std::int64_t> lateMs;
};

Punctuality measure(const std::vector<std::vector<std::int64_t>> &starts, std::int64_t fromMs, std::int64_t toMs,
                    std::int64_t intervalMs)
{
    Punctuality p;
    for (std::size_t i = 0; i < starts.size(); ++i) {
        const std::int64_t offset = pulse::Scheduler::jitterOffsetMs("t" + std::to_string(i), intervalMs);
        auto sorted = starts[i];
        std::sort(sorted.begin(), sorted.end());
        for (std::int64_t s : sorted)
            p.lateMs.push_back(((s - offset) % intervalMs + intervalMs) % intervalMs);
        // Slots on the target's grid whose whole window [slot, slot + interval) lies in the run.
        std::int64_t slot = fromMs + ((offset - fromMs) % intervalMs + intervalMs) % intervalMs;
        auto it = sorted.begin();
        for (; slot + intervalMs <= toMs; slot += intervalMs) {
            ++p.slotCount;
            it = std::lower_bound(it, sorted.end(), slot);
            if (it == sorted.end() || *it >= slot + intervalMs)
                ++p.missedCount;
        }
    }
    std::sort(p.lateMs.begin(), p.lateMs.end());
    return p;
}

std::int64_t percentile(const std::vector<std::int64_t> &sorted, double q)
{
    if (sorted.empty())
        return 0;
    return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(q * static_cast<double>(sorted.size())))];
}

// bench is one measured run in the order it happens (start the scheduler, warm up, measure the
// window, stop): its steps share the runtime, the recorder and the usage snapshots, so it stays whole.
int bench(const Options &o)
{
    // Fork first: the child must not inherit threads. It reports its port through a pipe.
    int portPipe[2];
    if (pipe(portPipe) != 0)
        return 1;
    std::cout.flush();
    const pid_t child = fork();
    if (child < 0)
        return 1;
    if (child == 0) {
        close(portPipe[0]);
        pulse::bench::ExpositionServer server(makeBodies(o.targets));
        const std::uint16_t port = server.port();
        if (write(portPipe[1], &port, sizeof port) != sizeof port || port == 0)
            _exit(1);
        close(portPipe[1]);
        server.run(std::chrono::seconds(o.seconds + 60)); // SIGTERM from the parent ends it sooner
        std::cout << "server_requests=" << server.requests() << "\n";
        std::cout.flush();
        _exit(0);
    }
    close(portPipe[1]);
    std::uint16_t port = 0;
    if (read(portPipe[0], &port, sizeof port) != sizeof port || port == 0) {
        std::cerr << "scheduler_bench: the server did not start\n";
        return 1;
    }
    close(portPipe[0]);

    std::vector<pulse::TargetConfig> targets;
    for (int i = 0; i < o.targets; ++i) {
        pulse::PrometheusOptions scrape;
        scrape.http.url = "http://127.0.0.1:" + std::to_string(port) + "/t/" + std::to_string(i);
        pulse::TargetConfig t(std::move(scrape));
        t.name = "t" + std::to_string(i);
        t.interval = std::chrono::milliseconds(o.intervalMs);
        t.timeout = std::chrono::milliseconds(o.intervalMs);
        targets.push_back(std::move(t));
    }

    pulse::SystemClock clock;
    StartRecorder recorder(o.targets);
    rusage before{};
    rusage after{};
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0;
    std::uint64_t idleDropped = 0;
    {
        pulse::IoRuntime io(2);
        pulse::HttpClient http(io);
        pulse::Scheduler scheduler(io, http, recorder, clock);
        getrusage(RUSAGE_SELF, &before);
        scheduler.setTargets(targets);
        fromMs = clock.nowMs();
        std::this_thread::sleep_for(std::chrono::seconds(o.seconds));
        toMs = clock.nowMs();
        scheduler.stop();
        // Let scrapes in flight finish (bounded by their timeout) before the runtime goes.
        std::this_thread::sleep_for(std::chrono::milliseconds(o.intervalMs + 200));
        getrusage(RUSAGE_SELF, &after);
        idleDropped = http.droppedIdleConnections();
    }
    kill(child, SIGTERM);
    int status = 0;
    rusage serverUsage{};
    wait4(child, &status, 0, &serverUsage);

    const double cpu = cpuSeconds(after) - cpuSeconds(before);
    const std::uint64_t samples = recorder.samples();
    const Punctuality p = measure(recorder.starts(), fromMs, toMs, o.intervalMs);
    std::uint64_t scrapes = 0;
    for (const auto &s : recorder.starts())
        scrapes += s.size();
    std::printf("targets=%d\nseconds=%d\ninterval_ms=%d\n", o.targets, o.seconds, o.intervalMs);
    std::printf("scrapes=%llu\nscrapes_failed=%llu\nsamples=%llu\n", static_cast<unsigned long long>(scrapes),
                static_cast<unsigned long long>(recorder.failed()), static_cast<unsigned long long>(samples));
    std::printf("samples_per_s=%.0f\n", static_cast<double>(samples) / static_cast<double>(o.seconds));
    std::printf("cpu_s=%.2f\ncpu_s_per_million_samples=%.3f\n", cpu,
                samples ? cpu * 1e6 / static_cast<double>(samples) : 0.0);
    std::printf("server_cpu_s=%.2f\n", cpuSeconds(serverUsage));
    std::printf("slots=%llu\nslots_missed=%llu\n", static_cast<unsigned long long>(p.slotCount),
                static_cast<unsigned long long>(p.missedCount));
    std::printf("start_late_ms_p50=%lld\nstart_late_ms_p99=%lld\nstart_late_ms_max=%lld\n",
                static_cast<long long>(percentile(p.lateMs, 0.5)), static_cast<long long>(percentile(p.lateMs, 0.99)),
                static_cast<long long>(p.lateMs.empty() ? 0 : p.lateMs.back()));
    std::printf("idle_connections_dropped=%llu\n", static_cast<unsigned long long>(idleDropped));
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&] { return i + 1 < argc ? std::atoi(argv[++i]) : 0; };
        if (a == "--targets")
            o.targets = next();
        else if (a == "--seconds")
            o.seconds = next();
        else if (a == "--interval-ms")
            o.intervalMs = next();
        else if (a == "--serve")
            o.serveSeconds = next();
        else if (a == "--port-file" && i + 1 < argc)
            o.portFile = argv[++i];
        else {
            std::cerr << "usage: scheduler_bench [--targets N] [--seconds S] [--interval-ms MS]\n"
                         "       scheduler_bench --serve SECONDS --port-file FILE [--targets N]\n";
            return 2;
        }
    }
    if (o.targets <= 0 || o.seconds <= 0 || o.intervalMs <= 0)
        return 2;
    if (o.serveSeconds > 0)
        return o.portFile.empty() ? 2 : serve(o);
    return bench(o);
}
