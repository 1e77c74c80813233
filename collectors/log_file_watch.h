// LogFileWatch: inotify on the directories of the followed log files, so an append, a create or a
// rename wakes its tailer at once instead of at its next poll. Polling stays the floor: a file
// system inotify does not see (NFS, FUSE), a symlink's target in another directory, or a host out
// of inotify watches is still read every second.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace pulse {

class IoRuntime;

/// LogFileWatch reads inotify events on one of runtime's threads and calls the callbacks of the
/// directory they happened in with the entry's name (empty when the kernel dropped events: anything
/// may have changed). Linux only; elsewhere watch() is false and nothing is called.
/// Threading: watch() and start() before the runtime runs handlers for it, from the owner's thread;
/// close() (or the destructor) after the runtime's threads stopped, before the runtime is destroyed.
class LogFileWatch {
public:
    using Callback = std::function<void(std::string_view name)>;

    explicit LogFileWatch(IoRuntime &runtime);
    ~LogFileWatch();
    LogFileWatch(const LogFileWatch &) = delete;
    LogFileWatch &operator=(const LogFileWatch &) = delete;

    /// watch adds directory (appends, creates, renames, deletes in it); false when inotify cannot
    /// (no inotify, no such directory, out of watches): polling alone then applies.
    bool watch(const std::string &directory, Callback callback);
    /// start begins reading events.
    void start();
    /// close stops watching and releases the descriptor.
    void close();

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace pulse
