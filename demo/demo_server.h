// DemoServer: serves a DemoSimulator over real HTTP on loopback (Boost.Beast, behind a pimpl).
#pragma once

#include "core/base/clock.h"
#include "core/base/error.h"
#include "demo/demo_simulator.h"

#include <cstdint>
#include <memory>
#include <string>

namespace pulse::demo {

struct DemoServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0; ///< 0 picks a free port
    std::string accessLogPath; ///< empty: no access log
    std::string appLogPath;    ///< empty: no app log
    DemoOptions simulation;
    std::int64_t runForMs = 0; ///< 0: until stop()
    const Clock *clock = nullptr; ///< nullptr: the system clock
};

/// DemoServer answers GET /metrics, GET /health, GET /api/stats and POST /graphql from one
/// simulation, writes the simulated access and app logs, and stops accepting connections while the
/// simulation has a "refused connections" incident.
///
/// Threading: start() spawns one I/O thread that owns the simulation; the public methods are called
/// from the owning thread only.
class DemoServer {
public:
    explicit DemoServer(DemoServerOptions options);
    ~DemoServer();
    DemoServer(const DemoServer &) = delete;
    DemoServer &operator=(const DemoServer &) = delete;

    /// start binds the listener and starts serving; it returns "host:port" of the bound address.
    Result<std::string> start();
    /// stop ends serving and joins the I/O thread. Safe to call twice.
    void stop();
    /// wait blocks until the server stops (runForMs elapsed, or stop() from another thread).
    void wait();
    std::uint16_t port() const;

    /// Impl is opaque; it is named here (not private) so helpers in the .cpp file can refer to it.
    class Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace pulse::demo
