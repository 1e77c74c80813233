// IoRuntime: the collectors' event loop — one io_context run by a small pool of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

namespace pulse {

/// IoRuntime owns the io_context every probe, timer and HTTP exchange runs on. Boost stays out of
/// this header; code inside collectors/ reaches the io_context through detail/asio_access.h.
class IoRuntime {
public:
    /// IoRuntime starts `threads` threads (at least one) at once.
    explicit IoRuntime(int threads = 2);
    /// The destructor stops the loop and joins its threads; queued handlers are destroyed unrun.
    ~IoRuntime();
    IoRuntime(const IoRuntime &) = delete;
    IoRuntime &operator=(const IoRuntime &) = delete;

    /// post runs `fn` on one of the I/O threads.
    void post(std::function<void()> fn);
    /// stop ends the loop and joins the threads. Must not be called from an I/O thread.
    void stop();

    struct Impl;
    Impl &impl() { return *m_impl; }

private:
    std::unique_ptr<Impl> m_impl;
};

/// raiseOpenFileLimit lifts the soft open-file limit to the hard one (as Go programs such as
/// Prometheus do at start): each target keeps a connection, and the common soft default of 1,024
/// would fail a thousand targets' connects. Returns the soft limit now in force (0 if unknown).
/// Call once at start-up, before threads open files.
std::uint64_t raiseOpenFileLimit();

} // namespace pulse
