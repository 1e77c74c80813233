// ExpositionServer: a loopback Beast HTTP/1.1 server for the scheduler benchmark, serving one fixed
// Prometheus text exposition per path /t/0 … /t/N-1 over keep-alive connections.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pulse::bench {

/// makeTargetExposition is target `index`'s payload: 50 samples (a labelled counter, a histogram, a
/// summary and process gauges), every series carrying `shard="<index>"` so targets never share one.
std::string makeTargetExposition(int index);

/// ExpositionServer listens on 127.0.0.1 with a free port as soon as it is built; run() serves on
/// the calling thread. Boost stays in the .cpp file.
class ExpositionServer {
public:
    explicit ExpositionServer(std::vector<std::string> bodies);
    ~ExpositionServer();
    ExpositionServer(const ExpositionServer &) = delete;
    ExpositionServer &operator=(const ExpositionServer &) = delete;

    /// port is the port it listens on, or 0 when it could not listen.
    std::uint16_t port() const;
    /// run serves until SIGTERM or SIGINT arrives or `limit` has passed, whichever is first.
    void run(std::chrono::seconds limit);
    /// requests is how many requests were answered (200 or 404).
    std::uint64_t requests() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace pulse::bench
