// IoRuntime: the collectors' event loops — one io_context per thread, a small fixed number of them.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

namespace pulse {

/// IoRuntime owns the io_contexts every probe, timer and HTTP exchange runs on: one per thread, each
/// run by that thread alone. Work is spread by giving each target (and each log file) a context when
/// it is scheduled; everything that target does afterwards (timer, exchange, parse, connection reuse)
/// stays on that context's thread. One shared context run by two threads cost 10-15 % more CPU on the
/// whole ingest path than two loops, and 22 % more than one (200 targets x 1 s): every completion woke the other thread through the
/// scheduler's lock and an eventfd, and strands handed work back and forth.
///
/// Boost stays out of this header; code inside collectors/ reaches the contexts through
/// detail/asio_access.h.
class IoRuntime {
public:
    /// IoRuntime starts `threads` threads (at least one), each with its own io_context, at once,
    /// named `threadName` (at most 15 characters: what top -H and /proc show).
    explicit IoRuntime(int threads = 2, const char *threadName = "pulse-io");
    /// defaultThreads is half the hardware threads, 1 to 4: the writer, the query thread and the GUI
    /// need the other half. On a 2-core laptop one loop scrapes 200 node_exporter targets a second
    /// with 4 % of a core, and a second loop there cost 10-15 % more CPU in all (each thread wakes
    /// for its own completions instead of taking several per wake-up).
    static int defaultThreads();
    /// The destructor stops the loops and joins their threads; queued handlers are destroyed unrun.
    ~IoRuntime();
    IoRuntime(const IoRuntime &) = delete;
    IoRuntime &operator=(const IoRuntime &) = delete;

    /// post runs `fn` on one of the I/O threads (the calling one when it is one of them).
    void post(std::function<void()> fn);
    /// stop ends the loops and joins the threads. Must not be called from an I/O thread.
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
