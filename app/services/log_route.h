// LogRoute: the one LogSink the log collector writes to. It forwards to the history file's writer
// once that is open (records and positions become durable together), and to the in-memory LogStore
// while there is no file (it could not be opened, or it has closed).
#pragma once

#include "core/logs/log_sink.h"

#include <memory>
#include <mutex>

namespace pulse {

class LogRoute final : public LogSink {
public:
    /// memory must outlive the route.
    explicit LogRoute(LogSink &memory) : m_memory(memory) {}

    /// setFile sends everything to `file` from now on; null goes back to memory. Thread-safe.
    void setFile(std::shared_ptr<LogSink> file);

    void append(LogBatch batch) override;
    bool hasRoom() const override;

private:
    std::shared_ptr<LogSink> current() const;

    LogSink &m_memory;
    mutable std::mutex m_mutex;
    std::shared_ptr<LogSink> m_file; // guarded by m_mutex
};

} // namespace pulse
