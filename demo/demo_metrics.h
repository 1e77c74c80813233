// The demo service's own instrumentation: counters, the request-duration histogram and gauges, rendered
// as Prometheus text. It only stores and renders; the simulator decides what happened.
#pragma once

#include "demo/demo_types.h"

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <tuple>

namespace pulse::demo {

/// kDurationBucketBounds are the upper bounds of http_request_duration_seconds (before +Inf).
inline constexpr std::array<double, 11> kDurationBucketBounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

class DemoMetrics {
public:
    /// kBucketCount includes the +Inf bucket.
    static constexpr std::size_t kBucketCount = kDurationBucketBounds.size() + 1;
    using BucketCounts = std::array<std::uint64_t, kBucketCount>;

    DemoMetrics(std::string version, std::int64_t startMs);

    /// declareRoute makes the route's histogram visible (all zero) before its first request.
    void declareRoute(std::string_view route);
    void addRequests(std::string_view method, std::string_view route, int status, std::uint64_t count);
    void observeDuration(std::string_view route, double seconds);
    /// addDurations adds observations in bulk: perBucket is non-cumulative, the last entry is +Inf.
    void addDurations(std::string_view route, const BucketCounts &perBucket, double sumSeconds);
    void addCacheLookups(std::uint64_t hits, std::uint64_t misses);
    void addCpuSeconds(double seconds) { m_cpuSeconds += seconds; }

    void setDbPool(int idle, int active, int waiting);
    void setResidentBytes(std::int64_t bytes) { m_residentBytes = bytes; }
    void setActiveIncident(IncidentKind kind) { m_activeIncident = kind; }
    void setDroppedLogLines(std::uint64_t access, std::uint64_t app);

    std::uint64_t requestsTotal() const { return m_requestsTotal; }
    std::uint64_t serverErrors() const { return m_serverErrors; }
    std::uint64_t cacheHits() const { return m_cacheHits; }
    std::uint64_t cacheMisses() const { return m_cacheMisses; }

    /// render is the whole /metrics body in text format 0.0.4.
    std::string render() const;

private:
    struct Histogram {
        BucketCounts buckets{};
        double sum = 0;
        std::uint64_t count = 0;
    };
    /// RequestKey orders series by route, then method, then status, so related lines sit together.
    using RequestKey = std::tuple<std::string, std::string, int>;

    std::string m_version;
    double m_startSeconds;
    std::map<RequestKey, std::uint64_t> m_requests;
    std::map<std::string, Histogram, std::less<>> m_durations;
    std::uint64_t m_requestsTotal = 0;
    std::uint64_t m_serverErrors = 0;
    std::uint64_t m_cacheHits = 0;
    std::uint64_t m_cacheMisses = 0;
    double m_cpuSeconds = 0;
    int m_dbIdle = 0;
    int m_dbActive = 0;
    int m_dbWaiting = 0;
    std::int64_t m_residentBytes = 0;
    IncidentKind m_activeIncident = IncidentKind::None;
    std::uint64_t m_droppedAccessLines = 0;
    std::uint64_t m_droppedAppLines = 0;
};

} // namespace pulse::demo
