// pulsectl demo: run the simulated backend service until --for elapses or a signal arrives.
#include "app/pulsectl/command.h"
#include "core/base/duration.h"
#include "demo/demo_server.h"

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

namespace pulse::cli {
namespace {

constexpr const char *kUsage =
    "usage: pulsectl demo [--listen HOST:PORT] [--access-log FILE] [--app-log FILE] [--seed N]\n"
    "                     [--incident-every DURATION] [--for DURATION]\n"
    "Serves GET /metrics, GET /health, GET /api/stats and POST /graphql, and writes an nginx-combined\n"
    "access log and a JSON-lines app log. Prints the bound address (use port 0 for a free one).\n"
    "--incident-every 0 disables incidents; without --for it runs until interrupted.\n";

std::sig_atomic_t volatile g_signalled = 0;

extern "C" void onSignal(int)
{
    g_signalled = 1;
}

} // namespace

int cmdDemo(Args args, std::ostream &out, std::ostream &err)
{
    demo::DemoServerOptions options;
    options.port = 0;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a == "--help" || a == "-h") {
            out << kUsage;
            return kExitOk;
        }
        if (i + 1 >= args.size()) {
            err << "pulsectl demo: unknown option or missing value: " << a << "\n" << kUsage;
            return kExitUsage;
        }
        const std::string &v = args[++i];
        if (a == "--listen") {
            const auto colon = v.rfind(':');
            if (colon == std::string::npos) {
                err << "pulsectl demo: --listen wants HOST:PORT, got '" << v << "'\n";
                return kExitUsage;
            }
            options.host = v.substr(0, colon);
            if (options.host.size() > 2 && options.host.front() == '[' && options.host.back() == ']')
                options.host = options.host.substr(1, options.host.size() - 2);
            char *end = nullptr;
            const unsigned long port = std::strtoul(v.c_str() + colon + 1, &end, 10);
            if (*end != '\0' || port > 65535 || colon + 1 == v.size()) {
                err << "pulsectl demo: bad port in '" << v << "'\n";
                return kExitUsage;
            }
            options.port = static_cast<std::uint16_t>(port);
        } else if (a == "--access-log") {
            options.accessLogPath = v;
        } else if (a == "--app-log") {
            options.appLogPath = v;
        } else if (a == "--seed") {
            char *end = nullptr;
            options.simulation.seed = std::strtoull(v.c_str(), &end, 10);
            if (*end != '\0' || v.empty()) {
                err << "pulsectl demo: --seed wants a whole number, got '" << v << "'\n";
                return kExitUsage;
            }
        } else if (a == "--incident-every" || a == "--for") {
            auto d = parseDuration(v);
            if (!d) {
                err << "pulsectl demo: " << a << ": " << d.error().message << "\n";
                return kExitUsage;
            }
            (a == "--for" ? options.runForMs : options.simulation.incidentEveryMs) = d->count();
        } else {
            err << "pulsectl demo: unknown option " << a << "\n" << kUsage;
            return kExitUsage;
        }
    }

    demo::DemoServer server(options);
    auto address = server.start();
    if (!address) {
        err << "pulsectl demo: " << address.error().message << "\n";
        return kExitFailed;
    }
    out << *address << std::endl;

    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    // The server stops itself after --for; a signal stops it early. Poll the flag, since a signal
    // handler may do nothing but set it.
    std::thread watcher([&server] {
        while (!g_signalled)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        server.stop();
    });
    server.wait();
    g_signalled = 1;
    watcher.join();
    return kExitOk;
}

} // namespace pulse::cli
