// The health of one target as the service list shows it.
#pragma once

#include <cstdint>
#include <string>

namespace pulse {

enum class TargetHealth { Unknown, Up, Degraded, Down };

/// TargetStatus is a snapshot value; collectors publish a fresh copy after every probe run.
struct TargetStatus {
    std::string name;
    std::string kind;
    std::string endpoint; ///< URL or address as configured (never carries credentials)
    TargetHealth health = TargetHealth::Unknown;
    std::string lastError; ///< untrusted text: show as plain text
    std::int64_t lastRunMs = 0;
    std::int64_t lastSuccessMs = 0;
    std::int64_t lastDurationMs = 0;
    std::uint32_t consecutiveFailures = 0;
    std::uint64_t samplesLastRun = 0;
};

inline const char *healthName(TargetHealth h)
{
    switch (h) {
    case TargetHealth::Up: return "up";
    case TargetHealth::Degraded: return "degraded";
    case TargetHealth::Down: return "down";
    case TargetHealth::Unknown: break;
    }
    return "unknown";
}

} // namespace pulse
