// SilenceList: Alertmanager-style silences (label matchers + a time window) and acknowledgements,
// applied to the alerts the rule engine reports. A silenced alert still evaluates and is still
// listed; the GUI mutes it. Acknowledging marks one alert instance until it resolves.
#pragma once

#include "core/alerting/alert.h"
#include "core/base/error.h"
#include "core/base/history_reader.h"

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pulse {

struct Silence {
    std::uint64_t id = 0;
    std::vector<LabelMatcher> matchers; ///< all must match, as in Alertmanager
    std::int64_t startsMs = 0;
    std::int64_t endsMs = 0;
    std::string comment;

    bool isActive(std::int64_t nowMs) const { return startsMs <= nowMs && nowMs < endsMs; }
    /// matches: every matcher holds for `labels` (regexes fully anchored; a missing label is "").
    bool matches(const Labels &labels) const;
    /// matchersText renders the matchers as `{alertname="X", job=~"a.*"}`.
    std::string matchersText() const;
};

/// parseMatchers reads `{name="v", other=~"re"}` (PromQL selector syntax, braces optional).
/// At least one matcher is needed, and it must not match the empty string (as Alertmanager requires),
/// so a silence can never mute everything by accident.
Result<std::vector<LabelMatcher>> parseMatchers(std::string_view text);

/// SilenceList is a plain value owned by one thread (the query thread in the app).
class SilenceList {
public:
    /// add stores a silence and returns its id (ids are never reused).
    std::uint64_t add(Silence silence);
    /// expire ends a silence now (it stays listed as expired). False when the id is unknown.
    bool expire(std::uint64_t id, std::int64_t nowMs);
    /// acknowledge marks an alert instance (Alert::key()) as being handled.
    void acknowledge(const std::string &key) { m_acks.insert(key); }
    void unacknowledge(const std::string &key) { m_acks.erase(key); }

    /// apply sets each alert's silencedBy and acknowledged fields. Acknowledgements of alerts that
    /// are no longer pending or firing are dropped, so the next occurrence alerts again.
    void apply(std::vector<Alert> &alerts, std::int64_t nowMs);
    /// prune forgets silences that ended more than `keepMs` ago.
    void prune(std::int64_t nowMs, std::int64_t keepMs);

    const std::vector<Silence> &silences() const { return m_silences; }
    const std::set<std::string> &acknowledged() const { return m_acks; }

    /// toJson / fromJson persist the list (silences and acknowledgements) as UTF-8 JSON.
    std::string toJson() const;
    static Result<SilenceList> fromJson(std::string_view json);

private:
    std::vector<Silence> m_silences;
    std::set<std::string> m_acks;
    std::uint64_t m_nextId = 1;
};

} // namespace pulse
