// NotificationService: routes, the outbox pump and the Alertmanager client (see
// notification_service.h).
#include "app/services/notification_service.h"

#include "collectors/http_client.h"
#include "collectors/probe_http_request.h"
#include "core/alerting/webhook_payload.h"
#include "core/base/text_encoding.h"
#include "storage/notification_outbox.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <algorithm>
#include <set>

namespace pulse {

/// Route is one webhook receiver: its grouping, and the delivery in flight (one at a time, so the
/// receiver gets notifications in order).
struct NotificationService::Route {
    std::string name;
    ReceiverConfig receiver;
    std::optional<std::string> rule; ///< only this rule's alerts (an alert's own webhook)
    NotificationGrouper grouper;
    ReceiverStatus status;
    std::optional<storage::NotificationOutbox::Pending> inFlight;
};

namespace {

std::int64_t ms(Duration d)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

NotifyRoute routeOptions(const NotifyConfig &notify, const std::string &name, const std::string &key,
                         const ReceiverConfig &receiver)
{
    NotifyRoute route;
    route.receiver = name;
    route.key = key;
    route.groupBy = notify.groupBy;
    route.groupWaitMs = ms(notify.groupWait);
    route.groupIntervalMs = ms(notify.groupInterval);
    route.repeatIntervalMs = ms(notify.repeatInterval);
    route.sendResolved = receiver.sendResolved;
    return route;
}

// failureText says why an answer is not a delivery (the body is the receiver's, so only its status).
std::string failureText(const Result<HttpResponse> &r)
{
    if (!r)
        return r.error().message;
    return "HTTP " + std::to_string(r->status);
}

bool succeeded(const Result<HttpResponse> &r)
{
    return r && r->status >= 200 && r->status < 300;
}

// permanent says retrying cannot help: the receiver refused the request itself (a 4xx other than
// timeout and rate limiting), as Alertmanager's retrier gives up on them. Such a notification is
// dropped, counted and logged, so it does not hold back the ones after it.
bool permanent(const Result<HttpResponse> &r)
{
    return r && r->status >= 400 && r->status < 500 && r->status != 408 && r->status != 429;
}

// logEntryJson and logEntryFrom keep a grouper's log entry in the outbox (fingerprints as hex text:
// JSON numbers cannot hold 64 bits).
std::string logEntryJson(const NotificationGrouper::LogEntry &e)
{
    QJsonObject o;
    o.insert(QStringLiteral("at"), double(e.atMs));
    const auto hexes = [](const std::set<std::uint64_t> &set) {
        QJsonArray out;
        for (std::uint64_t f : set)
            out.append(QString::number(f, 16));
        return out;
    };
    o.insert(QStringLiteral("firing"), hexes(e.firing));
    o.insert(QStringLiteral("resolved"), hexes(e.resolved));
    QJsonArray alerts;
    for (const NotifyAlert &a : e.firingAlerts) {
        QJsonObject alert;
        QJsonArray labels;
        for (const Label &l : a.labels)
            labels.append(QJsonArray{QString::fromStdString(l.name), QString::fromStdString(l.value)});
        QJsonArray annotations;
        for (const auto &[k, v] : a.annotations)
            annotations.append(QJsonArray{QString::fromStdString(k), QString::fromStdString(v)});
        alert.insert(QStringLiteral("labels"), labels);
        alert.insert(QStringLiteral("annotations"), annotations);
        alert.insert(QStringLiteral("startsAt"), double(a.startsAtMs));
        alert.insert(QStringLiteral("generatorURL"), QString::fromStdString(a.generatorUrl));
        alerts.append(alert);
    }
    o.insert(QStringLiteral("alerts"), alerts);
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

std::optional<NotificationGrouper::LogEntry> logEntryFrom(const std::string &groupKey, const std::string &json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json));
    if (!doc.isObject())
        return std::nullopt; // unreadable: as if never notified
    const QJsonObject o = doc.object();
    NotificationGrouper::LogEntry e;
    e.groupKey = groupKey;
    e.atMs = std::int64_t(o.value(QStringLiteral("at")).toDouble());
    const auto hexes = [&](const QString &name, std::set<std::uint64_t> &out) {
        for (const auto &v : o.value(name).toArray())
            out.insert(v.toString().toULongLong(nullptr, 16));
    };
    hexes(QStringLiteral("firing"), e.firing);
    hexes(QStringLiteral("resolved"), e.resolved);
    for (const auto &v : o.value(QStringLiteral("alerts")).toArray()) {
        const QJsonObject alert = v.toObject();
        NotifyAlert a;
        for (const auto &l : alert.value(QStringLiteral("labels")).toArray())
            a.labels.set(l.toArray().at(0).toString().toStdString(), l.toArray().at(1).toString().toStdString());
        for (const auto &p : alert.value(QStringLiteral("annotations")).toArray())
            a.annotations.emplace_back(p.toArray().at(0).toString().toStdString(),
                                       p.toArray().at(1).toString().toStdString());
        a.startsAtMs = std::int64_t(alert.value(QStringLiteral("startsAt")).toDouble());
        a.generatorUrl = alert.value(QStringLiteral("generatorURL")).toString().toStdString();
        e.firingAlerts.push_back(std::move(a));
    }
    return e;
}

} // namespace

NotificationService::NotificationService(const Config &config, HttpClient &http, const Clock &clock, QObject *parent)
    : QObject(parent), m_config(config), m_http(http), m_clock(clock)
{
    const NotifyConfig &notify = m_config.notify;
    if (notify.webhook) {
        auto route =
            std::make_unique<Route>(Route{"webhook",
                                          *notify.webhook,
                                          std::nullopt,
                                          NotificationGrouper(routeOptions(notify, "webhook", "{}", *notify.webhook)),
                                          {},
                                          std::nullopt});
        m_routes.push_back(std::move(route));
    }
    for (const NotifyConfig::RuleWebhook &own : notify.ruleWebhooks) {
        const std::string name = "webhook/" + own.rule;
        if (std::any_of(m_routes.begin(), m_routes.end(), [&](const auto &r) { return r->name == name; }))
            continue; // two rules of one name share the first one's webhook
        const std::string key = "{}/" + goLabelSetString(Labels{{"alertname", own.rule}});
        m_routes.push_back(
            std::make_unique<Route>(Route{name,
                                          own.receiver,
                                          own.rule,
                                          NotificationGrouper(routeOptions(notify, name, key, own.receiver)),
                                          {},
                                          std::nullopt}));
    }
    for (auto &route : m_routes)
        route->status.name = route->name;
    m_alertmanager.name = "alertmanager";
    for (const AlertRuleConfig &rule : alertRules(m_config))
        m_exprByRule.emplace(rule.name, rule.expr);
}

NotificationService::~NotificationService() = default;

void NotificationService::start(const QString &outboxPath, int tickMs)
{
    auto outbox =
        storage::NotificationOutbox::open(outboxPath.isEmpty() ? std::string(":memory:") : outboxPath.toStdString());
    if (!outbox) {
        // Still delivered, from memory: a restart loses what waits.
        m_outboxError = QString::fromStdString("notifications are not kept across restarts: " + outbox.error().message);
        outbox = storage::NotificationOutbox::open(":memory:");
    }
    if (outbox)
        m_outbox = std::make_unique<storage::NotificationOutbox>(std::move(*outbox));
    // What each receiver was last told, before a restart: a group still firing is not news again, and
    // what resolved meanwhile is said (NotificationGrouper::restore).
    for (auto &route : m_routes) {
        if (!m_outbox)
            break;
        auto saved = m_outbox->loadLog(route->name);
        if (!saved)
            continue;
        std::vector<NotificationGrouper::LogEntry> entries;
        for (const auto &[key, json] : *saved)
            if (auto entry = logEntryFrom(key, json))
                entries.push_back(std::move(*entry));
        route->grouper.restore(std::move(entries));
    }
    if (tickMs > 0) {
        m_timer = new QTimer(this);
        connect(m_timer, &QTimer::timeout, this, &NotificationService::tick);
        m_timer->start(tickMs);
    }
    publish();
}

NotifyAlert NotificationService::toNotifyAlert(const Alert &alert) const
{
    NotifyAlert out;
    out.labels = alert.labels;
    out.annotations = alert.annotations;
    out.startsAtMs = alert.firedAtMs;
    out.endsAtMs = alert.state == AlertState::Inactive ? alert.resolvedAtMs : 0;
    out.silenced = alert.silencedBy != 0;
    if (!m_config.notify.externalUrl.empty()) {
        // As Prometheus links an alert to its expression on its graph page.
        const auto expr = m_exprByRule.find(alert.rule);
        QUrl url(QString::fromStdString(m_config.notify.externalUrl));
        url.setPath(url.path() + QStringLiteral("/graph"));
        url.setQuery(QStringLiteral("g0.expr=") +
                     QString::fromUtf8(QUrl::toPercentEncoding(
                         QString::fromStdString(expr == m_exprByRule.end() ? std::string() : expr->second))) +
                     QStringLiteral("&g0.tab=1"));
        out.generatorUrl = url.toString(QUrl::FullyEncoded).toStdString();
    }
    return out;
}

void NotificationService::onAlerts(const AlertSnapshot &snapshot)
{
    const std::int64_t now = m_clock.nowMs();
    std::vector<NotifyAlert> all;
    std::vector<std::string> rules;
    for (const Alert &alert : snapshot.alerts) {
        // Pending alerts are nobody's business yet; a resolved one only if it had fired.
        if (alert.state == AlertState::Pending || alert.firedAtMs == 0)
            continue;
        all.push_back(toNotifyAlert(alert));
        rules.push_back(alert.rule);
    }
    for (auto &route : m_routes) {
        if (!route->rule) {
            route->grouper.observe(all, now);
            continue;
        }
        std::vector<NotifyAlert> own;
        for (std::size_t i = 0; i < all.size(); ++i)
            if (rules[i] == *route->rule)
                own.push_back(all[i]);
        route->grouper.observe(own, now);
    }
    pushToAlertmanager(snapshot);
    tick();
}

void NotificationService::tick()
{
    if (!m_outbox)
        return;
    const std::int64_t now = m_clock.nowMs();
    for (auto &route : m_routes) {
        for (const Notification &n : route->grouper.flush(now)) {
            if (auto queued = m_outbox->enqueue(route->name, webhookPayload(n, m_config.notify.externalUrl), now);
                !queued) {
                route->status.lastError = queued.error().message;
                ++route->status.failed;
            }
        }
        for (const NotificationGrouper::LogEntry &e : route->grouper.takeLogChanges()) {
            if (e.atMs == 0)
                (void)m_outbox->removeLog(route->name, e.groupKey);
            else
                (void)m_outbox->saveLog(route->name, e.groupKey, logEntryJson(e));
        }
    }
    pump();
    publish();
}

void NotificationService::pump()
{
    const std::int64_t now = m_clock.nowMs();
    for (auto &route : m_routes) {
        if (route->inFlight)
            continue;
        auto next = m_outbox->next(route->name, now);
        if (!next || !*next)
            continue;
        route->inFlight = std::move(**next);
        send(*route);
    }
}

void NotificationService::send(Route &route)
{
    auto request = httpRequestFor(route.receiver.http, route.receiver.timeout);
    if (!request) {
        // A credential that cannot be read now may be readable later (a file being rotated): retried.
        delivered(route.name, route.inFlight->id, false, request.error().message);
        return;
    }
    request->method = "POST";
    request->body = route.inFlight->body;
    request->headers.emplace_back("Content-Type", "application/json");
    // A receiver's answer is not read, but a body over the limit would fail a delivery that worked.
    request->maxBodyBytes = 4 * 1024 * 1024;
    // The answer comes on an I/O thread. Runtime stops the I/O pool before this object's thread
    // ends, so no answer arrives after it is gone.
    m_http.fetch(std::move(*request), [self = QPointer<NotificationService>(this), name = route.name,
                                       id = route.inFlight->id](Result<HttpResponse> r) {
        const bool ok = succeeded(r);
        const bool final = permanent(r);
        const std::string error = ok ? std::string() : failureText(r) + (final ? " (not retried)" : "");
        QMetaObject::invokeMethod(
            self.data(),
            [self, name, id, ok, final, error] {
                if (self)
                    self->delivered(name, id, ok || final, error);
            },
            Qt::QueuedConnection);
    });
}

void NotificationService::delivered(const std::string &receiver, std::int64_t id, bool ok, const std::string &error)
{
    auto it = std::find_if(m_routes.begin(), m_routes.end(), [&](const auto &r) { return r->name == receiver; });
    if (it == m_routes.end() || !(*it)->inFlight || (*it)->inFlight->id != id)
        return;
    Route &route = **it;
    const std::int64_t now = m_clock.nowMs();
    if (ok && !error.empty()) { // refused for good: gone from the outbox, counted as a failure
        (void)m_outbox->delivered(id);
        ++route.status.failed;
        route.status.lastError = error;
        emit deliveryFailed(QString::fromStdString(receiver), QString::fromStdString(error));
    } else if (ok) {
        (void)m_outbox->delivered(id);
        ++route.status.sent;
        route.status.lastError.clear();
        route.status.lastSuccessMs = now;
    } else {
        (void)m_outbox->failed(*route.inFlight, now, error);
        ++route.status.failed;
        route.status.lastError = error;
        emit deliveryFailed(QString::fromStdString(receiver), QString::fromStdString(error));
    }
    route.inFlight.reset();
    pump();
    publish();
}

void NotificationService::pushToAlertmanager(const AlertSnapshot &snapshot)
{
    if (!m_config.notify.alertmanager || m_alertmanagerBusy)
        return;
    const std::int64_t now = m_clock.nowMs();
    std::string body = "[";
    std::vector<std::string> keys;
    std::set<std::string> current;
    for (const Alert &alert : snapshot.alerts) {
        if (alert.state == AlertState::Pending || alert.firedAtMs == 0 || alert.silencedBy != 0)
            continue;
        // One instance a firing: an alert that fires again is a new one to Alertmanager, sent at once.
        const std::string key = alert.key() + '@' + std::to_string(alert.firedAtMs);
        current.insert(key);
        const auto last = m_alertmanagerSentMs.find(key);
        const bool resolved = alert.state == AlertState::Inactive;
        // Prometheus's needsSending: new, newly resolved, or not sent for the resend delay.
        const bool due = last == m_alertmanagerSentMs.end() || (resolved && alert.resolvedAtMs > last->second) ||
                         last->second + kAlertmanagerResendMs <= now;
        if (!due)
            continue;
        const NotifyAlert a = toNotifyAlert(alert);
        if (!keys.empty())
            body += ',';
        body += R"({"labels":)";
        appendJsonObject(body, a.labels);
        body += R"(,"annotations":)";
        appendJsonObject(body, a.annotations);
        body += R"(,"startsAt":")" + goTimeJson(a.startsAtMs) + R"(","endsAt":")" +
                goTimeJson(resolved ? a.endsAtMs : now + 4 * kAlertmanagerResendMs) + R"(","generatorURL":)";
        appendJsonString(body, a.generatorUrl);
        body += '}';
        keys.push_back(key);
    }
    body += ']';
    // Instances the rules no longer report are forgotten (the map stays as large as the alerts).
    std::erase_if(m_alertmanagerSentMs, [&](const auto &entry) { return !current.contains(entry.first); });
    if (keys.empty())
        return;
    ReceiverConfig am = *m_config.notify.alertmanager;
    std::string url = am.http.url;
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    am.http.url = url + "/api/v2/alerts";
    auto request = httpRequestFor(am.http, am.timeout);
    if (!request) {
        ++m_alertmanager.failed;
        m_alertmanager.lastError = request.error().message;
        return;
    }
    request->method = "POST";
    request->body = std::move(body);
    request->headers.emplace_back("Content-Type", "application/json");
    request->maxBodyBytes = 4 * 1024 * 1024;
    m_alertmanagerBusy = true;
    m_http.fetch(std::move(*request), [self = QPointer<NotificationService>(this), keys, now](Result<HttpResponse> r) {
        const bool ok = succeeded(r);
        const std::string error = ok ? std::string() : failureText(r);
        QMetaObject::invokeMethod(
            self.data(),
            [self, keys, now, ok, error] {
                if (!self)
                    return;
                self->m_alertmanagerBusy = false;
                if (ok) {
                    for (const std::string &key : keys)
                        self->m_alertmanagerSentMs[key] = now;
                    ++self->m_alertmanager.sent;
                    self->m_alertmanager.lastError.clear();
                    self->m_alertmanager.lastSuccessMs = now;
                } else {
                    ++self->m_alertmanager.failed;
                    self->m_alertmanager.lastError = error;
                    emit self->deliveryFailed(QStringLiteral("alertmanager"), QString::fromStdString(error));
                }
                self->publish();
            },
            Qt::QueuedConnection);
    });
}

NotificationFigures NotificationService::figures() const
{
    NotificationFigures out;
    for (const auto &route : m_routes) {
        ReceiverFigures r{route->name, route->status.sent, route->status.failed, 0};
        if (m_outbox)
            if (auto waiting = m_outbox->waiting(route->name))
                r.waiting = *waiting;
        out.receivers.push_back(std::move(r));
    }
    if (m_config.notify.alertmanager)
        out.receivers.push_back({m_alertmanager.name, m_alertmanager.sent, m_alertmanager.failed, 0});
    out.dropped = m_outbox ? m_outbox->dropped() : 0;
    return out;
}

void NotificationService::publish()
{
    NotificationStatus status;
    for (const auto &route : m_routes) {
        ReceiverStatus r = route->status;
        if (m_outbox)
            if (auto waiting = m_outbox->waiting(route->name))
                r.waiting = *waiting;
        status.receivers.push_back(std::move(r));
    }
    if (m_config.notify.alertmanager)
        status.receivers.push_back(m_alertmanager);
    status.dropped = m_outbox ? m_outbox->dropped() : 0;
    status.error = m_outboxError;
    emit statusChanged(status);
}

} // namespace pulse
