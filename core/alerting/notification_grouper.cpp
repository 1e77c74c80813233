// NotificationGrouper: grouping, flush timers and the notification log (see notification_grouper.h;
// Alertmanager's dispatch/dispatch.go and notify/notify.go DedupStage are the reference).
#include "core/alerting/notification_grouper.h"

#include <algorithm>
#include <utility>

namespace pulse {

NotificationGrouper::NotificationGrouper(NotifyRoute route) : m_route(std::move(route)) {}

Labels NotificationGrouper::groupLabelsOf(const Labels &labels) const
{
    if (m_route.groupBy.size() == 1 && m_route.groupBy.front() == "...")
        return labels;
    Labels out;
    for (const std::string &name : m_route.groupBy)
        if (labels.has(name))
            out.set(name, labels.value(name));
    return out;
}

std::vector<NotificationGrouper::LogEntry> NotificationGrouper::takeLogChanges()
{
    std::vector<LogEntry> out;
    for (const std::string &key : m_changed) {
        const auto it = m_sent.find(key);
        if (it == m_sent.end())
            out.push_back({key, {}, {}, 0, {}}); // expired: atMs 0 says "forget it"
        else
            out.push_back({key, it->second.firing, it->second.resolved, it->second.atMs, it->second.firingAlerts});
    }
    m_changed.clear();
    return out;
}

void NotificationGrouper::restore(std::vector<LogEntry> entries)
{
    for (LogEntry &e : entries) {
        if (!e.firingAlerts.empty())
            m_restoredFiring[e.groupKey] = e.firingAlerts;
        m_sent[e.groupKey] = Sent{std::move(e.firing), std::move(e.resolved), e.atMs, std::move(e.firingAlerts)};
    }
}

void NotificationGrouper::observe(const std::vector<NotifyAlert> &alerts, std::int64_t nowMs)
{
    if (!m_restoredFiring.empty()) {
        // The first look after a restart: what was notified as firing and is not firing now resolved
        // while we were away; it rejoins its group, resolved, so the receiver hears it.
        std::set<std::uint64_t> firingNow;
        for (const NotifyAlert &a : alerts)
            if (!a.resolved())
                firingNow.insert(alertFingerprint(a.labels));
        for (auto &[key, before] : m_restoredFiring) {
            for (NotifyAlert &a : before) {
                if (firingNow.contains(alertFingerprint(a.labels)))
                    continue;
                a.endsAtMs = nowMs;
                Group &g = m_groups[key];
                if (g.alerts.empty()) {
                    g.groupLabels = groupLabelsOf(a.labels);
                    g.nextFlushMs = nowMs + m_route.groupWaitMs;
                    g.flushed = true; // the receiver knows this group: no group_wait shortcut
                }
                g.alerts[alertFingerprint(a.labels)] = a;
            }
        }
        m_restoredFiring.clear();
    }
    std::set<std::pair<std::string, std::uint64_t>> seen;
    for (const NotifyAlert &alert : alerts) {
        const Labels groupLabels = groupLabelsOf(alert.labels);
        const std::string key = m_route.key + ":" + goLabelSetString(groupLabels);
        const std::uint64_t fingerprint = alertFingerprint(alert.labels);
        seen.emplace(key, fingerprint);
        auto group = m_groups.find(key);
        if (alert.resolved()) {
            if (group != m_groups.end())
                if (auto it = group->second.alerts.find(fingerprint); it != group->second.alerts.end())
                    it->second = alert;
            continue;
        }
        if (group == m_groups.end()) {
            Group g;
            g.groupLabels = groupLabels;
            g.nextFlushMs = nowMs + m_route.groupWaitMs;
            group = m_groups.emplace(key, std::move(g)).first;
        }
        // Alertmanager flushes a group that has not flushed yet at once when an alert joining it is
        // older than group_wait (it was firing before, e.g. across a restart).
        if (!group->second.flushed && alert.startsAtMs + m_route.groupWaitMs < nowMs)
            group->second.nextFlushMs = std::min(group->second.nextFlushMs, nowMs);
        group->second.alerts[fingerprint] = alert;
    }
    for (auto &[key, group] : m_groups) {
        for (auto &[fingerprint, alert] : group.alerts) {
            if (!alert.resolved() && !seen.contains({key, fingerprint}))
                alert.endsAtMs = nowMs;
        }
    }
}

bool NotificationGrouper::needsUpdate(const Sent *last, const std::set<std::uint64_t> &firing,
                                      const std::set<std::uint64_t> &resolved, std::int64_t nowMs) const
{
    // Alertmanager's DedupStage.needsUpdate, case by case.
    if (last == nullptr)
        return !firing.empty(); // never notified: only for something firing
    if (!std::includes(last->firing.begin(), last->firing.end(), firing.begin(), firing.end()))
        return true; // a firing alert the receiver has not heard of
    if (firing.empty())
        return !last->firing.empty(); // all resolved: say so once (sent only with send_resolved)
    if (m_route.sendResolved &&
        !std::includes(last->resolved.begin(), last->resolved.end(), resolved.begin(), resolved.end()))
        return true;
    return last->atMs + m_route.repeatIntervalMs <= nowMs;
}

std::vector<Notification> NotificationGrouper::flush(std::int64_t nowMs)
{
    std::vector<Notification> out;
    for (auto it = m_groups.begin(); it != m_groups.end();) {
        auto &[key, group] = *it;
        if (group.nextFlushMs > nowMs) {
            ++it;
            continue;
        }
        std::set<std::uint64_t> firing;
        std::set<std::uint64_t> resolved;
        for (const auto &[fingerprint, alert] : group.alerts)
            if (!alert.silenced)
                (alert.resolved() ? resolved : firing).insert(fingerprint);
        auto last = m_sent.find(key);
        if (needsUpdate(last == m_sent.end() ? nullptr : &last->second, firing, resolved, nowMs)) {
            Notification n;
            n.receiver = m_route.receiver;
            n.groupKey = key;
            n.groupLabels = group.groupLabels;
            n.atMs = nowMs;
            for (const auto &[fingerprint, alert] : group.alerts)
                if (!alert.silenced && (!alert.resolved() || m_route.sendResolved))
                    n.alerts.push_back(alert);
            std::sort(n.alerts.begin(), n.alerts.end(),
                      [](const NotifyAlert &a, const NotifyAlert &b) { return a.labels < b.labels; });
            // Without send_resolved an all-resolved group sends nothing, but the log still records it
            // (so the next firing is news).
            std::vector<NotifyAlert> firingAlerts;
            for (const auto &[fingerprint, alert] : group.alerts)
                if (firing.contains(fingerprint))
                    firingAlerts.push_back(alert);
            if (!n.alerts.empty())
                out.push_back(std::move(n));
            m_sent[key] = Sent{firing, resolved, nowMs, std::move(firingAlerts)};
            m_changed.insert(key);
        }
        std::erase_if(group.alerts, [](const auto &entry) { return entry.second.resolved(); });
        if (group.alerts.empty()) {
            it = m_groups.erase(it);
            continue;
        }
        group.nextFlushMs = nowMs + m_route.groupIntervalMs;
        group.flushed = true;
        ++it;
    }
    std::erase_if(m_sent, [&](const auto &entry) {
        const bool expired = entry.second.atMs + kLogRetentionMs < nowMs;
        if (expired)
            m_changed.insert(entry.first);
        return expired;
    });
    return out;
}

std::optional<std::int64_t> NotificationGrouper::nextFlushMs() const
{
    std::optional<std::int64_t> next;
    for (const auto &[key, group] : m_groups)
        if (!next || group.nextFlushMs < *next)
            next = group.nextFlushMs;
    return next;
}

} // namespace pulse
