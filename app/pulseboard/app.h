// App: one running Pulseboard — the config (or the built-in demo and its server), the Runtime and the
// window, wired together. main() only reads the command line and runs the event loop.
#pragma once

#include "core/config/config.h"

#include <QString>
#include <QTemporaryDir>

#include <cstdint>
#include <expected>
#include <memory>
#include <string>

namespace pulse {

class MainWindow;
class Runtime;
namespace demo {
class DemoServer;
}

class App {
public:
    struct Options {
        QString configPath; ///< empty: the built-in demo
        QString range;      ///< the time range to open with (TimeRangeBar's spans)
        QString screenshot; ///< save a PNG of the window this long after start, then quit
        int screenshotAfterMs = 8000;
        std::uint64_t openFileLimit = 0; ///< from Runtime::prepareProcess, for the start-up warning
    };

    /// create loads the config (or starts the demo server), builds the runtime and the window and
    /// wires them; the error is what to print before exiting with status 2.
    static std::expected<std::unique_ptr<App>, std::string> create(const Options &options);
    ~App();
    App(const App &) = delete;
    App &operator=(const App &) = delete;

    /// start opens the history, starts the collectors and shows the window. Runs on the GUI thread.
    void start();
    /// stop drains and stores what was collected; returns the exit status given the event loop's.
    int stop(int eventLoopStatus);

private:
    App() = default;
    /// wire connects the window to the services on the query thread (queued: no I/O on the GUI thread).
    void wire();
    void scheduleScreenshot();

    Options m_options;
    QTemporaryDir m_demoLogs;
    std::unique_ptr<demo::DemoServer> m_demo; ///< only without a config file
    Config m_config;
    std::unique_ptr<Runtime> m_runtime;
    std::unique_ptr<MainWindow> m_window;
};

} // namespace pulse
