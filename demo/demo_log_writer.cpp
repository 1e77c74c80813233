// Access and application log lines of the demo service.
#include "demo/demo_log_writer.h"

#include "demo/demo_time.h"
#include "demo/json_writer.h"
#include "demo/stack_trace.h"

#include <array>
#include <cmath>
#include <cstdio>

namespace pulse::demo {
namespace {

// Clients come from private and documentation ranges; each keeps one user agent, as real ones do.
constexpr std::array<std::string_view, 10> kClientIps{
    "10.0.3.17",  "10.0.3.42",  "10.0.7.5",   "10.1.12.201", "10.1.12.9",
    "192.0.2.10", "192.0.2.44", "192.0.2.77", "192.0.2.130", "192.0.2.251",
};

constexpr std::array<std::string_view, 5> kUserAgents{
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
    "Safari/605.1.15",
    "curl/7.88.1",
    "shop-mobile/3.2.0 (Android 14; okhttp/4.12.0)",
};

double roundedMillis(double seconds)
{
    return std::round(seconds * 10'000.0) / 10.0;
}

std::string_view cacheKeyPrefix(std::string_view route)
{
    return route.starts_with("/api/users") ? "users" : "orders";
}

} // namespace

DemoLogWriter::DemoLogWriter(std::uint64_t seed, std::size_t maxPendingLines)
    : m_seed(seed), m_maxPendingLines(maxPendingLines)
{
}

std::string DemoLogWriter::nextRequestId()
{
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%016llx",
                  static_cast<unsigned long long>(mixBits(m_seed ^ mixBits(++m_requestNumber))));
    return buffer;
}

void DemoLogWriter::push(std::deque<std::string> &buffer, std::uint64_t &dropped, std::string line)
{
    if (buffer.size() >= m_maxPendingLines) {
        buffer.pop_front();
        ++dropped;
    }
    buffer.push_back(std::move(line));
}

void DemoLogWriter::logRequest(const SimulatedRequest &request, std::int64_t atMs, DemoRandom &random)
{
    writeAccessLine(request, atMs, random);
    writeAppLines(request, atMs, random);
}

void DemoLogWriter::writeAccessLine(const SimulatedRequest &request, std::int64_t atMs, DemoRandom &random)
{
    const RouteSpec &spec = TrafficModel::routes()[request.routeIndex];
    const std::size_t client = random.index(kClientIps.size());
    const std::string_view agent = kUserAgents[client % kUserAgents.size()];
    const std::string_view referer = spec.route == "/static/app.js" ? "https://shop.example.com/" : "-";

    std::string line;
    line.reserve(200);
    line += kClientIps[client];
    line += " - - [";
    line += formatNginxTime(atMs);
    line += "] \"";
    line += spec.method;
    line += ' ';
    line += request.path;
    line += " HTTP/1.1\" ";
    line += std::to_string(request.status);
    line += ' ';
    line += std::to_string(request.bytes);
    line += " \"";
    line += referer;
    line += "\" \"";
    line += agent;
    line += '"';
    push(m_access, m_droppedAccess, std::move(line));
}

void DemoLogWriter::writeAppLines(const SimulatedRequest &request, std::int64_t atMs, DemoRandom &random)
{
    const RouteSpec &spec = TrafficModel::routes()[request.routeIndex];
    if (!spec.backend)
        return;
    const std::string requestId = nextRequestId();
    const std::string ts = formatIsoTime(atMs);

    if (request.cacheLookup && !request.cacheHit) {
        JsonWriter debug;
        debug.beginObject();
        debug.stringMember("ts", ts);
        debug.stringMember("level", "debug");
        debug.stringMember("msg", "cache miss");
        debug.stringMember("request_id", requestId);
        debug.stringMember("key", std::string(cacheKeyPrefix(spec.route)) + ':' + std::to_string(request.entityId));
        debug.endObject();
        push(m_app, m_droppedApp, debug.take());
    }

    std::string_view level = "info";
    std::string_view message = "request completed";
    if (request.status >= 500) {
        level = "error";
        message = request.status == 503 ? "shedding load: worker pool saturated" : "unhandled exception in handler";
    } else if (request.durationSeconds > kSlowRequestSeconds) {
        level = "warn";
        message = "slow request";
    }

    JsonWriter line;
    line.beginObject();
    line.stringMember("ts", ts);
    line.stringMember("level", level);
    line.stringMember("msg", message);
    line.stringMember("request_id", requestId);
    line.stringMember("method", spec.method);
    line.stringMember("route", spec.route);
    line.integerMember("status", request.status);
    line.numberMember("duration_ms", roundedMillis(request.durationSeconds));
    if (level == "warn")
        line.integerMember("threshold_ms", std::int64_t(kSlowRequestSeconds * 1000));
    // About a third of crashes carry a stack trace, as when only some handlers log exc_info.
    if (request.status == 500 && random.chance(0.35)) {
        const StackTrace trace = makeStackTrace(random, spec.route, request.entityId);
        line.stringMember("error", trace.summary);
        line.stringMember("stack", trace.text);
    }
    line.endObject();
    push(m_app, m_droppedApp, line.take());
}

void DemoLogWriter::logEvent(std::int64_t atMs, std::string_view level, std::string_view message)
{
    JsonWriter line;
    line.beginObject();
    line.stringMember("ts", formatIsoTime(atMs));
    line.stringMember("level", level);
    line.stringMember("msg", message);
    line.endObject();
    push(m_app, m_droppedApp, line.take());
}

std::vector<std::string> DemoLogWriter::takeAccessLines()
{
    std::vector<std::string> lines(std::make_move_iterator(m_access.begin()), std::make_move_iterator(m_access.end()));
    m_access.clear();
    return lines;
}

std::vector<std::string> DemoLogWriter::takeAppLines()
{
    std::vector<std::string> lines(std::make_move_iterator(m_app.begin()), std::make_move_iterator(m_app.end()));
    m_app.clear();
    return lines;
}

} // namespace pulse::demo
