// The demo service's logs: nginx "combined" access lines and JSON-lines application logs, kept in
// bounded buffers until the server collects them.
#pragma once

#include "demo/demo_random.h"
#include "demo/traffic_model.h"

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace pulse::demo {

/// DemoLogWriter formats log lines and holds them until taken. Each buffer keeps the newest
/// maxPendingLines lines; older ones are dropped and counted, so a server that stops collecting
/// cannot make the simulation grow without bound.
class DemoLogWriter {
public:
    static constexpr std::size_t kDefaultMaxPendingLines = 2000;

    explicit DemoLogWriter(std::uint64_t seed, std::size_t maxPendingLines = kDefaultMaxPendingLines);

    /// logRequest writes one access line and the application lines for one request: an optional debug
    /// line for a cache miss, then one info, warn (slow) or error (5xx, sometimes with a stack) line.
    void logRequest(const SimulatedRequest &request, std::int64_t atMs, DemoRandom &random);

    /// logEvent writes an application line that belongs to no request (incident transitions).
    void logEvent(std::int64_t atMs, std::string_view level, std::string_view message);

    /// takeAccessLines returns the pending access lines, oldest first, without trailing newlines.
    std::vector<std::string> takeAccessLines();
    /// takeAppLines returns the pending application lines; each is one complete JSON object.
    std::vector<std::string> takeAppLines();

    std::uint64_t droppedAccessLines() const { return m_droppedAccess; }
    std::uint64_t droppedAppLines() const { return m_droppedApp; }

    /// kSlowRequestSeconds is the duration above which the application warns.
    static constexpr double kSlowRequestSeconds = 0.5;

private:
    void writeAccessLine(const SimulatedRequest &request, std::int64_t atMs, DemoRandom &random);
    void writeAppLines(const SimulatedRequest &request, std::int64_t atMs, DemoRandom &random);
    void push(std::deque<std::string> &buffer, std::uint64_t &dropped, std::string line);
    std::string nextRequestId();

    std::uint64_t m_seed;
    std::size_t m_maxPendingLines;
    std::uint64_t m_requestNumber = 0;
    std::deque<std::string> m_access;
    std::deque<std::string> m_app;
    std::uint64_t m_droppedAccess = 0;
    std::uint64_t m_droppedApp = 0;
};

} // namespace pulse::demo
