// NotificationGrouper: Alertmanager's dispatcher and its deduplication for one route, in process —
// which alerts make a group, when a group is flushed, and whether a flush notifies.
//
//   alert fires ──> its group (by route.groupBy) ──first flush after groupWait──> notify
//                      │                       └──then every groupInterval──> notify if
//                      │                            a firing alert is new since the last one,
//                      │                            or an alert resolved (sendResolved), or
//                      │                            repeatInterval passed; else nothing
//                      └── resolved alerts leave the group once flushed; an empty group ends
//
// What was last notified per group key outlives the group (Alertmanager's notification log), so
// an alert that resolves and fires again between two flushes (flapping) notifies nothing new, and
// a group's resolved notification comes once.
//
// Not thread-safe; pure: every call is given the time (tests drive it with a manual clock).
#pragma once

#include "core/alerting/notification.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pulse {

class NotificationGrouper {
public:
    explicit NotificationGrouper(NotifyRoute route);

    const NotifyRoute &route() const { return m_route; }

    /// observe takes one evaluation's alerts for this route: every firing one, and resolved ones
    /// (endsAtMs set). A grouped alert missing from the list resolved at nowMs (its rule is gone).
    /// A resolved alert that is not grouped (already notified, or never seen firing) is ignored.
    void observe(const std::vector<NotifyAlert> &alerts, std::int64_t nowMs);
    /// flush returns the notifications due by nowMs, in group key order, and re-arms the groups.
    std::vector<Notification> flush(std::int64_t nowMs);
    /// nextFlushMs is when the next group is due (nothing when there is no group).
    std::optional<std::int64_t> nextFlushMs() const;
    /// groups is how many groups are open.
    std::size_t groups() const { return m_groups.size(); }

    /// kLogRetentionMs is how long what was notified for a group is remembered (Alertmanager's
    /// --data.retention default).
    static constexpr std::int64_t kLogRetentionMs = 120LL * 3600 * 1000;

    /// LogEntry is what was last notified for a group, kept across restarts (as Alertmanager keeps
    /// its notification log): the firing and resolved fingerprints, and the firing alerts themselves.
    struct LogEntry {
        std::string groupKey;
        std::set<std::uint64_t> firing;
        std::set<std::uint64_t> resolved;
        std::int64_t atMs = 0;
        std::vector<NotifyAlert> firingAlerts;
    };
    /// takeLogChanges returns the entries written since the last call (to store them).
    std::vector<LogEntry> takeLogChanges();
    /// restore loads entries stored before a restart. A group still firing is then not notified again
    /// as new; an alert notified as firing that the first observe() after it does not report firing
    /// resolved while Pulseboard was away, and its group says so (with send_resolved).
    void restore(std::vector<LogEntry> entries);

private:
    struct Group {
        Labels groupLabels;
        std::map<std::uint64_t, NotifyAlert> alerts; ///< by fingerprint
        std::int64_t nextFlushMs = 0;
        bool flushed = false; ///< it has had its first flush (group_wait is behind it)
    };
    struct Sent {
        std::set<std::uint64_t> firing;
        std::set<std::uint64_t> resolved;
        std::int64_t atMs = 0;
        std::vector<NotifyAlert> firingAlerts;
    };

    Labels groupLabelsOf(const Labels &labels) const;
    bool needsUpdate(const Sent *last, const std::set<std::uint64_t> &firing, const std::set<std::uint64_t> &resolved,
                     std::int64_t nowMs) const;

    NotifyRoute m_route;
    std::map<std::string, Group> m_groups; ///< by group key
    std::map<std::string, Sent> m_sent;    ///< by group key: the last notification's alerts
    std::set<std::string> m_changed;       ///< group keys whose log entry changed (takeLogChanges)
    /// m_restoredFiring are alerts notified as firing before a restart, until the first observe().
    std::map<std::string, std::vector<NotifyAlert>> m_restoredFiring;
};

} // namespace pulse
