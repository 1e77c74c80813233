// NotificationGrouper and webhookPayload, driven by explicit times: Alertmanager's grouping,
// group_wait / group_interval / repeat_interval, send_resolved, flapping and silences, and the
// webhook body byte for byte.
#include "core/alerting/notification_grouper.h"
#include "core/alerting/webhook_payload.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace pulse;

namespace {

constexpr std::int64_t kT0 = 1'796'000'000'000; // 2026-11-30
constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;

NotifyAlert firing(const std::string &rule, const std::string &instance, std::int64_t startsAt)
{
    NotifyAlert a;
    a.labels = Labels{{"alertname", rule}, {"instance", instance}, {"severity", "critical"}};
    a.annotations = {{"summary", instance + " is down"}};
    a.startsAtMs = startsAt;
    a.generatorUrl = "http://127.0.0.1:9464/graph";
    return a;
}

NotifyAlert resolvedAt(NotifyAlert a, std::int64_t at)
{
    a.endsAtMs = at;
    return a;
}

QString s(const char *text)
{
    return QString::fromUtf8(text);
}

QStringList strings(std::initializer_list<const char *> texts)
{
    QStringList out;
    for (const char *t : texts)
        out << s(t);
    return out;
}

QJsonObject object(std::initializer_list<std::pair<const char *, const char *>> pairs)
{
    QJsonObject out;
    for (const auto &[name, value] : pairs)
        out.insert(s(name), s(value));
    return out;
}

std::vector<std::string> instancesOf(const Notification &n)
{
    std::vector<std::string> out;
    for (const NotifyAlert &a : n.alerts)
        out.emplace_back(std::string(a.labels.value("instance")) + (a.resolved() ? "(resolved)" : ""));
    return out;
}

} // namespace

class TstNotificationGrouper : public QObject {
    Q_OBJECT
private slots:
    void groupWaitThenGroupInterval();
    void groupsByAlertname();
    void groupByLabelsAndAll();
    void repeatsAfterRepeatInterval();
    void sendsResolvedOnce();
    void withoutSendResolved();
    void flappingNotifiesOnce();
    void silencedAlertsAreNeitherSentNorResolved();
    void aVanishedAlertResolves();
    void anOldAlertFlushesAtOnce();
    void anOldAlertJoiningBeforeTheFirstFlushHurriesIt();
    void theLogOutlivesARestart();
    void fingerprintAsPrometheus();
    void payloadAsAlertmanager();
    void goTimes();
};

void TstNotificationGrouper::groupWaitThenGroupInterval()
{
    NotificationGrouper g({});
    g.observe({firing("ApiDown", "a:80", kT0)}, kT0);
    QVERIFY(g.flush(kT0).empty());
    QCOMPARE(*g.nextFlushMs(), kT0 + 30 * kSecond);
    QVERIFY(g.flush(kT0 + 29 * kSecond).empty());
    auto sent = g.flush(kT0 + 30 * kSecond);
    QCOMPARE(sent.size(), std::size_t{1});
    QVERIFY(sent[0].firing());
    QCOMPARE(instancesOf(sent[0]), std::vector<std::string>{"a:80"});
    // A second instance joins the group: it waits for the group's interval, not a group_wait of its own.
    g.observe({firing("ApiDown", "a:80", kT0), firing("ApiDown", "b:80", kT0 + 40 * kSecond)}, kT0 + 40 * kSecond);
    QVERIFY(g.flush(kT0 + 2 * kMinute).empty());
    QCOMPARE(*g.nextFlushMs(), kT0 + 30 * kSecond + 5 * kMinute);
    sent = g.flush(kT0 + 30 * kSecond + 5 * kMinute);
    QCOMPARE(sent.size(), std::size_t{1});
    QCOMPARE(instancesOf(sent[0]), (std::vector<std::string>{"a:80", "b:80"}));
}

void TstNotificationGrouper::groupsByAlertname()
{
    NotificationGrouper g({});
    g.observe({firing("ApiDown", "a:80", kT0), firing("DiskFull", "a:80", kT0), firing("ApiDown", "b:80", kT0)}, kT0);
    const auto sent = g.flush(kT0 + 30 * kSecond);
    QCOMPARE(sent.size(), std::size_t{2});
    QCOMPARE(sent[0].groupKey, std::string(R"({}:{alertname="ApiDown"})"));
    QCOMPARE(instancesOf(sent[0]), (std::vector<std::string>{"a:80", "b:80"}));
    QCOMPARE(sent[1].groupKey, std::string(R"({}:{alertname="DiskFull"})"));
    QCOMPARE(sent[1].groupLabels, (Labels{{"alertname", "DiskFull"}}));
}

void TstNotificationGrouper::groupByLabelsAndAll()
{
    NotifyRoute byInstance;
    byInstance.groupBy = {"alertname", "instance"};
    NotificationGrouper g(byInstance);
    g.observe({firing("ApiDown", "a:80", kT0), firing("ApiDown", "b:80", kT0)}, kT0);
    auto sent = g.flush(kT0 + 30 * kSecond);
    QCOMPARE(sent.size(), std::size_t{2});
    QCOMPARE(sent[0].groupKey, std::string(R"({}:{alertname="ApiDown", instance="a:80"})"));
    NotifyRoute all;
    all.groupBy = {"..."};
    all.key = R"({}/{alertname="ApiDown"})";
    NotificationGrouper everyLabel(all);
    everyLabel.observe({firing("ApiDown", "a:80", kT0)}, kT0);
    sent = everyLabel.flush(kT0 + 30 * kSecond);
    QCOMPARE(sent.size(), std::size_t{1});
    QCOMPARE(sent[0].groupKey,
             std::string(R"({}/{alertname="ApiDown"}:{alertname="ApiDown", instance="a:80", severity="critical"})"));
}

void TstNotificationGrouper::repeatsAfterRepeatInterval()
{
    NotifyRoute route;
    route.repeatIntervalMs = 60 * kMinute;
    NotificationGrouper g(route);
    const NotifyAlert a = firing("ApiDown", "a:80", kT0);
    g.observe({a}, kT0);
    QCOMPARE(g.flush(kT0 + 30 * kSecond).size(), std::size_t{1});
    // Flushes every five minutes find nothing new until an hour has passed since the notification.
    std::int64_t t = kT0 + 30 * kSecond;
    int repeats = 0;
    std::int64_t repeatedAt = 0;
    for (int i = 0; i < 12; ++i) {
        t += 5 * kMinute;
        g.observe({a}, t);
        for (const Notification &n : g.flush(t)) {
            ++repeats;
            repeatedAt = n.atMs;
        }
    }
    QCOMPARE(repeats, 1);
    QCOMPARE(repeatedAt, kT0 + 30 * kSecond + 60 * kMinute);
}

void TstNotificationGrouper::sendsResolvedOnce()
{
    NotificationGrouper g({});
    const NotifyAlert a = firing("ApiDown", "a:80", kT0);
    g.observe({a}, kT0);
    QCOMPARE(g.flush(kT0 + 30 * kSecond).size(), std::size_t{1});
    const NotifyAlert done = resolvedAt(a, kT0 + 2 * kMinute);
    g.observe({done}, kT0 + 2 * kMinute);
    auto sent = g.flush(kT0 + 30 * kSecond + 5 * kMinute);
    QCOMPARE(sent.size(), std::size_t{1});
    QVERIFY(!sent[0].firing());
    QCOMPARE(instancesOf(sent[0]), std::vector<std::string>{"a:80(resolved)"});
    QCOMPARE(sent[0].alerts[0].endsAtMs, kT0 + 2 * kMinute);
    QCOMPARE(g.groups(), std::size_t{0});
    // The rule keeps reporting the resolved alert for a while: nothing more is sent.
    for (std::int64_t t = kT0 + 6 * kMinute; t < kT0 + 20 * kMinute; t += kMinute) {
        g.observe({done}, t);
        QVERIFY(g.flush(t).empty());
    }
}

void TstNotificationGrouper::withoutSendResolved()
{
    NotifyRoute route;
    route.sendResolved = false;
    NotificationGrouper g(route);
    const NotifyAlert a = firing("ApiDown", "a:80", kT0);
    const NotifyAlert b = firing("ApiDown", "b:80", kT0);
    g.observe({a, b}, kT0);
    QCOMPARE(g.flush(kT0 + 30 * kSecond).size(), std::size_t{1});
    // One resolves while the other fires: nothing to say (no new firing alert).
    g.observe({a, resolvedAt(b, kT0 + kMinute)}, kT0 + kMinute);
    QVERIFY(g.flush(kT0 + 30 * kSecond + 5 * kMinute).empty());
    // Both resolved: nothing is sent, but the group ends and the next firing is news again.
    g.observe({resolvedAt(a, kT0 + 6 * kMinute)}, kT0 + 6 * kMinute);
    QVERIFY(g.flush(kT0 + 30 * kSecond + 10 * kMinute).empty());
    QCOMPARE(g.groups(), std::size_t{0});
    g.observe({firing("ApiDown", "a:80", kT0 + 20 * kMinute)}, kT0 + 20 * kMinute);
    const auto sent = g.flush(kT0 + 20 * kMinute + 30 * kSecond);
    QCOMPARE(sent.size(), std::size_t{1});
    QVERIFY(sent[0].firing());
}

void TstNotificationGrouper::flappingNotifiesOnce()
{
    NotificationGrouper g({});
    const NotifyAlert a = firing("ApiDown", "a:80", kT0);
    g.observe({a}, kT0);
    QCOMPARE(g.flush(kT0 + 30 * kSecond).size(), std::size_t{1});
    // Resolves and fires again before the next flush: the receiver already knows it fires.
    g.observe({resolvedAt(a, kT0 + kMinute)}, kT0 + kMinute);
    g.observe({firing("ApiDown", "a:80", kT0 + 2 * kMinute)}, kT0 + 2 * kMinute);
    QVERIFY(g.flush(kT0 + 30 * kSecond + 5 * kMinute).empty());
    QCOMPARE(g.groups(), std::size_t{1});
}

void TstNotificationGrouper::silencedAlertsAreNeitherSentNorResolved()
{
    NotificationGrouper g({});
    NotifyAlert a = firing("ApiDown", "a:80", kT0);
    NotifyAlert quiet = firing("ApiDown", "b:80", kT0);
    quiet.silenced = true;
    g.observe({a, quiet}, kT0);
    auto sent = g.flush(kT0 + 30 * kSecond);
    QCOMPARE(sent.size(), std::size_t{1});
    QCOMPARE(instancesOf(sent[0]), std::vector<std::string>{"a:80"});
    // Silenced alone: nothing at all.
    NotificationGrouper alone({});
    alone.observe({quiet}, kT0);
    QVERIFY(alone.flush(kT0 + kMinute).empty());
    // The silence ends while it fires: news at the group's next flush (it flushed, empty, at 1 min).
    quiet.silenced = false;
    alone.observe({quiet}, kT0 + 2 * kMinute);
    QVERIFY(alone.flush(kT0 + 5 * kMinute).empty());
    sent = alone.flush(kT0 + 6 * kMinute);
    QCOMPARE(sent.size(), std::size_t{1});
    QCOMPARE(instancesOf(sent[0]), std::vector<std::string>{"b:80"});
}

void TstNotificationGrouper::aVanishedAlertResolves()
{
    NotificationGrouper g({});
    g.observe({firing("ApiDown", "a:80", kT0)}, kT0);
    QCOMPARE(g.flush(kT0 + 30 * kSecond).size(), std::size_t{1});
    g.observe({}, kT0 + kMinute); // its rule was removed
    const auto sent = g.flush(kT0 + 30 * kSecond + 5 * kMinute);
    QCOMPARE(sent.size(), std::size_t{1});
    QCOMPARE(instancesOf(sent[0]), std::vector<std::string>{"a:80(resolved)"});
    QCOMPARE(sent[0].alerts[0].endsAtMs, kT0 + kMinute);
}

void TstNotificationGrouper::anOldAlertFlushesAtOnce()
{
    NotificationGrouper g({});
    g.observe({firing("ApiDown", "a:80", kT0 - 10 * kMinute)}, kT0);
    QCOMPARE(g.flush(kT0).size(), std::size_t{1});
}

void TstNotificationGrouper::anOldAlertJoiningBeforeTheFirstFlushHurriesIt()
{
    NotificationGrouper g({});
    g.observe({firing("ApiDown", "a:80", kT0)}, kT0);
    QCOMPARE(*g.nextFlushMs(), kT0 + 30 * kSecond);
    // Alertmanager: any alert older than group_wait added before the group's first flush flushes it.
    g.observe({firing("ApiDown", "a:80", kT0), firing("ApiDown", "b:80", kT0 - 10 * kMinute)}, kT0 + kSecond);
    QCOMPARE(*g.nextFlushMs(), kT0 + kSecond);
    QCOMPARE(g.flush(kT0 + kSecond).size(), std::size_t{1});
    // After that first flush, old or not, alerts wait for the group's interval.
    g.observe({firing("ApiDown", "c:80", kT0 - 10 * kMinute)}, kT0 + 2 * kSecond);
    QCOMPARE(*g.nextFlushMs(), kT0 + kSecond + 5 * kMinute);
}

void TstNotificationGrouper::theLogOutlivesARestart()
{
    NotificationGrouper before({});
    const NotifyAlert a = firing("ApiDown", "a:80", kT0);
    before.observe({a}, kT0);
    QCOMPARE(before.flush(kT0 + 30 * kSecond).size(), std::size_t{1});
    const auto log = before.takeLogChanges();
    QCOMPARE(log.size(), std::size_t{1});
    QCOMPARE(log[0].firingAlerts.size(), std::size_t{1});
    QVERIFY(before.takeLogChanges().empty()); // taken
    // Restarted while it still fires: not news.
    NotificationGrouper still({});
    still.restore(log);
    still.observe({a}, kT0 + 10 * kMinute);
    QVERIFY(still.flush(kT0 + 10 * kMinute).empty()); // an old alert, but the receiver knows it
    QVERIFY(still.flush(kT0 + 20 * kMinute).empty());
    // Restarted after it resolved meanwhile: the receiver hears it resolved, once.
    NotificationGrouper gone({});
    gone.restore(log);
    gone.observe({}, kT0 + 10 * kMinute);
    const auto sent = gone.flush(kT0 + 10 * kMinute + 30 * kSecond);
    QCOMPARE(sent.size(), std::size_t{1});
    QVERIFY(!sent[0].firing());
    QCOMPARE(instancesOf(sent[0]), std::vector<std::string>{"a:80(resolved)"});
    QCOMPARE(sent[0].groupKey, std::string(R"({}:{alertname="ApiDown"})"));
    gone.observe({}, kT0 + 20 * kMinute);
    QVERIFY(gone.flush(kT0 + 30 * kMinute).empty());
}

void TstNotificationGrouper::fingerprintAsPrometheus()
{
    // prometheus/common's model tests (TestMetricToFingerprint) use these label sets and values.
    QCOMPARE(alertFingerprint(Labels{}), std::uint64_t{14695981039346656037ULL});
    QCOMPARE(alertFingerprint(Labels{{"name", "garland, briggs"}, {"fear", "love is not enough"}}),
             std::uint64_t{5799056148416392346ULL});
}

void TstNotificationGrouper::payloadAsAlertmanager()
{
    NotificationGrouper g({});
    NotifyAlert a = firing("ApiDown", "a:80", kT0);
    a.annotations = {{"summary", "<b>api</b> \"down\""}, {"runbook", "http://wiki/ApiDown"}};
    NotifyAlert b = firing("ApiDown", "b:80", kT0 + 1500);
    b.annotations = {{"summary", "other"}, {"runbook", "http://wiki/ApiDown"}};
    g.observe({a, b}, kT0 + 2000);
    auto sent = g.flush(kT0 + 32 * kSecond);
    QCOMPARE(sent.size(), std::size_t{1});
    sent[0].alerts[1].endsAtMs = kT0 + 61'250; // as if b had resolved
    const std::string body = webhookPayload(sent[0], "http://127.0.0.1:9464");
    QJsonParseError error{};
    const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(body), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(o.keys(), strings({"alerts", "commonAnnotations", "commonLabels", "externalURL", "groupKey", "groupLabels",
                                "receiver", "status", "truncatedAlerts", "version"}));
    QCOMPARE(o.value(s("version")).toString(), QStringLiteral("4"));
    QCOMPARE(o.value(s("status")).toString(), QStringLiteral("firing"));
    QCOMPARE(o.value(s("receiver")).toString(), QStringLiteral("webhook"));
    QCOMPARE(o.value(s("groupKey")).toString(), QStringLiteral(R"({}:{alertname="ApiDown"})"));
    QCOMPARE(o.value(s("externalURL")).toString(), QStringLiteral("http://127.0.0.1:9464"));
    QCOMPARE(o.value(s("groupLabels")).toObject(), object({{"alertname", "ApiDown"}}));
    QCOMPARE(o.value(s("commonLabels")).toObject(), object({{"alertname", "ApiDown"}, {"severity", "critical"}}));
    QCOMPARE(o.value(s("commonAnnotations")).toObject(), object({{"runbook", "http://wiki/ApiDown"}}));
    const QJsonArray alerts = o.value(s("alerts")).toArray();
    QCOMPARE(alerts.size(), 2);
    const QJsonObject first = alerts[0].toObject();
    QCOMPARE(first.keys(),
             strings({"annotations", "endsAt", "fingerprint", "generatorURL", "labels", "startsAt", "status"}));
    QCOMPARE(first.value(s("status")).toString(), QStringLiteral("firing"));
    QCOMPARE(first.value(s("annotations")).toObject().value(s("summary")).toString(),
             QStringLiteral("<b>api</b> \"down\"")); // text, as written
    QCOMPARE(first.value(s("startsAt")).toString(), QStringLiteral("2026-11-30T00:53:20Z"));
    QCOMPARE(first.value(s("endsAt")).toString(), QStringLiteral("0001-01-01T00:00:00Z"));
    QCOMPARE(first.value(s("fingerprint")).toString().size(), 16);
    QCOMPARE(first.value(s("fingerprint")).toString(),
             QString::asprintf("%016llx", static_cast<unsigned long long>(alertFingerprint(a.labels))));
    const QJsonObject second = alerts[1].toObject();
    QCOMPARE(second.value(s("status")).toString(), QStringLiteral("resolved"));
    QCOMPARE(second.value(s("startsAt")).toString(), QStringLiteral("2026-11-30T00:53:21.5Z"));
    QCOMPARE(second.value(s("endsAt")).toString(), QStringLiteral("2026-11-30T00:54:21.25Z"));
}

void TstNotificationGrouper::goTimes()
{
    QCOMPARE(goTimeJson(0), std::string("0001-01-01T00:00:00Z"));
    QCOMPARE(goTimeJson(kT0), std::string("2026-11-30T00:53:20Z"));
    QCOMPARE(goTimeJson(kT0 + 120), std::string("2026-11-30T00:53:20.12Z"));
    QCOMPARE(goTimeJson(kT0 + 7), std::string("2026-11-30T00:53:20.007Z"));
}

QTEST_GUILESS_MAIN(TstNotificationGrouper)
#include "tst_notification_grouper.moc"
