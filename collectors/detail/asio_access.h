// For collectors' .cpp files only: the Asio types behind IoRuntime. Never include from a public header.
#pragma once

#include <utility> // Boost 1.74's Asio needs it before its headers with GCC 12.

#include "collectors/io_runtime.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

namespace pulse {

struct IoRuntime::Impl {
    /// LoopContext exposes shutdown(): ~IoRuntime destroys every loop's queued handlers before it
    /// destroys any loop, since a handler of one loop may own an object (an idle connection in the
    /// HTTP client's pool) whose socket belongs to another.
    struct LoopContext : boost::asio::io_context {
        LoopContext() : io_context(1) {} // concurrency hint 1: only this loop's thread runs handlers
        void shutdownHandlers() { shutdown(); }
    };
    /// Loop: one io_context and the one thread that runs it.
    struct Loop {
        LoopContext io;
        boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
        std::thread thread;
    };
    std::vector<std::unique_ptr<Loop>> loops;
    std::atomic<std::size_t> next{0};

    /// current is the loop of the calling thread when it is one of this runtime's, else null.
    Loop *current() const;
    /// pick is the calling thread's loop, or else the next one in turn (spreads new targets).
    boost::asio::io_context &pick();
    /// pickFor is the calling thread's loop, or else the one `key` selects: work from other threads
    /// that should meet earlier work (a kept-alive connection to the same host) passes the same key.
    boost::asio::io_context &pickFor(std::size_t key);
    /// indexOf is the position of `io` among the loops (connection pools key their entries by it).
    std::size_t indexOf(const boost::asio::io_context &io) const;
};

/// ioContext is the context new work should go to: the calling I/O thread's own, so that work a
/// handler starts stays on its thread, or the next one in turn when called from another thread.
inline boost::asio::io_context &ioContext(IoRuntime &runtime)
{
    return runtime.impl().pick();
}

} // namespace pulse
