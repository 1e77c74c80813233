// For collectors' .cpp files only: the Asio types behind IoRuntime. Never include from a public header.
#pragma once

#include <utility> // Boost 1.74's Asio needs it before its headers with GCC 12.

#include "collectors/io_runtime.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <thread>
#include <vector>

namespace pulse {

struct IoRuntime::Impl {
    boost::asio::io_context io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
    std::vector<std::thread> threads;
};

inline boost::asio::io_context &ioContext(IoRuntime &runtime)
{
    return runtime.impl().io;
}

} // namespace pulse
