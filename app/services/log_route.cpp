// LogRoute: forwards log batches to the history file's writer, or to memory without one.
#include "app/services/log_route.h"

namespace pulse {

void LogRoute::setFile(std::shared_ptr<LogSink> file)
{
    std::lock_guard lock(m_mutex);
    m_file = std::move(file);
}

std::shared_ptr<LogSink> LogRoute::current() const
{
    std::lock_guard lock(m_mutex);
    return m_file;
}

void LogRoute::append(LogBatch batch)
{
    // Outside the lock: the writer takes its own, and a swap of file meanwhile only decides where the
    // next batch goes.
    if (auto file = current())
        file->append(std::move(batch));
    else
        m_memory.append(std::move(batch));
}

bool LogRoute::hasRoom() const
{
    auto file = current();
    return file ? file->hasRoom() : m_memory.hasRoom();
}

} // namespace pulse
