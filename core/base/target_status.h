// The health of one target as the service list shows it.
#pragma once

#include <cstddef>
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
    std::string lastError; ///< untrusted text: show as plain text; at most kMaxLastErrorBytes (+ note)
    std::int64_t lastRunMs = 0;
    std::int64_t lastSuccessMs = 0;
    std::int64_t lastDurationMs = 0;
    std::uint32_t consecutiveFailures = 0;
    std::uint64_t samplesLastRun = 0;
    std::uint64_t duplicatesLastRun = 0; ///< samples of a series already seen in the same scrape (dropped)
    std::uint64_t futureLastRun = 0;     ///< samples stamped beyond max_future (dropped)
    std::uint64_t ancientLastRun = 0;    ///< samples stamped before 2001 (kept, flagged)
};

/// kMaxLastErrorBytes bounds a target's error text: it may quote a server (a GraphQL error, a TLS
/// alert, a response line) and is copied into every status snapshot, tooltip and log line.
constexpr std::size_t kMaxLastErrorBytes = 1024;

/// boundedErrorText cuts `text` to kMaxLastErrorBytes at a UTF-8 character boundary and says how
/// long it was.
inline std::string boundedErrorText(std::string text)
{
    if (text.size() <= kMaxLastErrorBytes)
        return text;
    const std::size_t total = text.size();
    // A byte 10xxxxxx continues a character: the cut goes before the character it belongs to.
    std::size_t cut = kMaxLastErrorBytes;
    for (; cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80; --cut) {
    }
    text.resize(cut);
    text += "\u2026 (" + std::to_string(total) + " bytes in all)";
    return text;
}

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
