// log_gen: writes the demo service's logs in bulk — its nginx "combined" access log and its
// JSON-lines application log, as DemoLogWriter formats them from the traffic model's requests
// (routes, statuses, latencies, user agents, stack traces on some errors) — for bench/log_bench.sh.
//   log_gen --access FILE --app FILE --mb N [--seed S]
// Each file grows to about N MB. Prints key=value lines.
#include "demo/demo_log_writer.h"
#include "demo/demo_random.h"
#include "demo/traffic_model.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

int main(int argc, char **argv)
{
    std::string accessPath, appPath;
    double mb = 200;
    std::uint64_t seed = 7;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--access" && i + 1 < argc)
            accessPath = argv[++i];
        else if (a == "--app" && i + 1 < argc)
            appPath = argv[++i];
        else if (a == "--mb" && i + 1 < argc)
            mb = std::atof(argv[++i]);
        else if (a == "--seed" && i + 1 < argc)
            seed = std::strtoull(argv[++i], nullptr, 10);
        else {
            std::cerr << "usage: log_gen --access FILE --app FILE --mb N [--seed S]\n";
            return 2;
        }
    }
    if (accessPath.empty() || appPath.empty()) {
        std::cerr << "usage: log_gen --access FILE --app FILE --mb N [--seed S]\n";
        return 2;
    }
    const auto target = static_cast<std::uint64_t>(mb * 1e6);
    pulse::demo::TrafficModel model(seed);
    pulse::demo::DemoRandom random(seed);
    pulse::demo::DemoLogWriter writer(seed, 1'000'000);
    const pulse::demo::IncidentState calm;
    std::ofstream access(accessPath, std::ios::binary);
    std::ofstream app(appPath, std::ios::binary);
    std::uint64_t accessBytes = 0, appBytes = 0, accessLines = 0, appLines = 0;
    std::int64_t t = 1'796'083'200'000; // 2026-12-01T00:00:00Z; ~20 requests a second
    while (accessBytes < target || appBytes < target) {
        for (int i = 0; i < 1000; ++i) {
            writer.logRequest(model.drawRequest(random, calm), t, random);
            t += 50;
        }
        for (const std::string &line : writer.takeAccessLines()) {
            if (accessBytes >= target)
                break;
            access << line << '\n';
            accessBytes += line.size() + 1;
            ++accessLines;
        }
        for (const std::string &line : writer.takeAppLines()) {
            if (appBytes >= target)
                break;
            app << line << '\n';
            appBytes += line.size() + 1;
            ++appLines;
        }
    }
    std::printf("access_bytes=%llu\naccess_lines=%llu\napp_bytes=%llu\napp_lines=%llu\n",
                static_cast<unsigned long long>(accessBytes), static_cast<unsigned long long>(accessLines),
                static_cast<unsigned long long>(appBytes), static_cast<unsigned long long>(appLines));
    return access && app ? 0 : 1;
}
