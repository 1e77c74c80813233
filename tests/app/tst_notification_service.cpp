// NotificationService end to end in process, with a manual clock: an alert that fires and resolves
// reaches a loopback webhook receiver as Alertmanager's payloads, in order, each once; a receiver
// that answers 503 gets them later (retried with backoff); what waits survives a restart (the outbox
// file); an Alertmanager gets the firing alert on /api/v2/alerts with an endsAt ahead.
#include "app/services/notification_service.h"
#include "collectors/http_client.h"
#include "collectors/io_runtime.h"
#include "storage/notification_outbox.h"
#include "tests/app/test_receiver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>


using namespace pulse;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kT0 = 1'796'000'000'000;

using Receiver = test::TestReceiver;

Alert alert(AlertState state, std::int64_t firedAt, std::int64_t resolvedAt = 0)
{
    Alert a;
    a.rule = "ApiDown";
    a.severity = "critical";
    a.labels = Labels{{"alertname", "ApiDown"}, {"instance", "api:80"}, {"severity", "critical"}};
    a.annotations = {{"summary", "<b>api</b> is down"}};
    a.state = state;
    a.activeAtMs = firedAt;
    a.firedAtMs = firedAt;
    a.resolvedAtMs = resolvedAt;
    return a;
}

AlertSnapshot snapshot(std::vector<Alert> alerts)
{
    AlertSnapshot s;
    s.alerts = std::move(alerts);
    return s;
}

Config webhookConfig(const Receiver &receiver)
{
    Config config;
    ReceiverConfig webhook;
    webhook.http.url = receiver.url("/hook");
    config.notify.webhook = webhook;
    config.notify.groupWait = 0s;
    config.notify.groupInterval = 10s;
    AlertRuleConfig rule;
    rule.name = "ApiDown";
    rule.expr = "up == 0";
    config.alerts.push_back(rule);
    return config;
}

QString statusOf(const QJsonDocument &d)
{
    return d.object().value(QStringLiteral("status")).toString();
}

} // namespace

class TstNotificationService : public QObject {
    Q_OBJECT
private slots:
    void firingThenResolvedInOrder();
    void aReceiverDownGetsEverythingLater();
    void waitingNotificationsSurviveARestart();
    void alertmanagerGetsFiringAlerts();
    void aRefusedNotificationDoesNotHoldBackTheRest();

private:
    IoRuntime m_io{2};
    HttpClient m_http{m_io};
};

void TstNotificationService::firingThenResolvedInOrder()
{
    Receiver receiver;
    ManualClock clock(kT0);
    NotificationService service(webhookConfig(receiver), m_http, clock);
    service.start(QString(), 0);
    service.onAlerts(snapshot({alert(AlertState::Firing, kT0 - 1000)}));
    QTRY_COMPARE(receiver.bodies().size(), std::size_t{1});
    clock.set(kT0 + 5000);
    service.onAlerts(snapshot({alert(AlertState::Inactive, kT0 - 1000, kT0 + 5000)}));
    QCOMPARE(receiver.bodies().size(), std::size_t{1}); // the group's interval has not passed
    clock.set(kT0 + 10'000);
    service.tick();
    QTRY_COMPARE(receiver.bodies().size(), std::size_t{2});
    const auto bodies = receiver.bodies();
    QCOMPARE(statusOf(bodies[0]), QStringLiteral("firing"));
    QCOMPARE(statusOf(bodies[1]), QStringLiteral("resolved"));
    const QJsonObject first = bodies[0].object();
    QCOMPARE(first.value(QStringLiteral("version")).toString(), QStringLiteral("4"));
    QCOMPARE(first.value(QStringLiteral("groupKey")).toString(), QStringLiteral(R"({}:{alertname="ApiDown"})"));
    const QJsonObject a = first.value(QStringLiteral("alerts")).toArray().at(0).toObject();
    QCOMPARE(a.value(QStringLiteral("annotations")).toObject().value(QStringLiteral("summary")).toString(),
             QStringLiteral("<b>api</b> is down"));
    QCOMPARE(receiver.paths(), (std::vector<std::string>{"/hook", "/hook"}));
    // Nothing more, however often it is asked.
    for (int i = 1; i <= 5; ++i) {
        clock.set(kT0 + 10'000 + i * 10'000);
        service.onAlerts(snapshot({alert(AlertState::Inactive, kT0 - 1000, kT0 + 5000)}));
    }
    QTest::qWait(200);
    QCOMPARE(receiver.bodies().size(), std::size_t{2});
}

void TstNotificationService::aReceiverDownGetsEverythingLater()
{
    Receiver receiver;
    receiver.setDown(true);
    ManualClock clock(kT0);
    NotificationService service(webhookConfig(receiver), m_http, clock);
    std::vector<NotificationStatus> statuses;
    connect(&service, &NotificationService::statusChanged, this,
            [&statuses](const NotificationStatus &s) { statuses.push_back(s); });
    service.start(QString(), 0);
    service.onAlerts(snapshot({alert(AlertState::Firing, kT0 - 1000)}));
    QTRY_COMPARE(receiver.refused(), 1);
    // Resolved while the receiver is still down: both wait, in order.
    for (std::int64_t t = kT0 + 1000; t <= kT0 + 60'000; t += 1000) {
        clock.set(t);
        if (t == kT0 + 20'000)
            service.onAlerts(snapshot({alert(AlertState::Inactive, kT0 - 1000, t)}));
        service.tick();
        QTest::qWait(5);
    }
    QVERIFY(receiver.refused() > 3);
    QVERIFY(receiver.bodies().empty());
    QVERIFY(!statuses.empty());
    QCOMPARE(statuses.back().receivers.front().waiting, std::int64_t{2});
    QCOMPARE(statuses.back().receivers.front().lastError, std::string("HTTP 503"));
    receiver.setDown(false);
    for (std::int64_t t = kT0 + 61'000; t <= kT0 + 120'000 && receiver.bodies().size() < 2; t += 1000) {
        clock.set(t);
        service.tick();
        QTest::qWait(20);
    }
    QTRY_COMPARE(receiver.bodies().size(), std::size_t{2});
    QCOMPARE(statusOf(receiver.bodies()[0]), QStringLiteral("firing"));
    QCOMPARE(statusOf(receiver.bodies()[1]), QStringLiteral("resolved"));
    QTRY_COMPARE(statuses.back().receivers.front().waiting, std::int64_t{0});
    QCOMPARE(statuses.back().receivers.front().sent, std::uint64_t{2});
}

void TstNotificationService::waitingNotificationsSurviveARestart()
{
    QTemporaryDir dir;
    const QString outbox = dir.filePath(QStringLiteral("notifications.db"));
    Receiver receiver;
    receiver.setDown(true);
    ManualClock clock(kT0);
    {
        NotificationService service(webhookConfig(receiver), m_http, clock);
        service.start(outbox, 0);
        service.onAlerts(snapshot({alert(AlertState::Firing, kT0 - 1000)}));
        QTRY_COMPARE(receiver.refused(), 1);
        QTest::qWait(50); // the failure is recorded
    }
    receiver.setDown(false);
    clock.set(kT0 + 60'000);
    NotificationService again(webhookConfig(receiver), m_http, clock);
    again.start(outbox, 0);
    again.tick();
    QTRY_COMPARE(receiver.bodies().size(), std::size_t{1});
    QCOMPARE(statusOf(receiver.bodies()[0]), QStringLiteral("firing"));
    auto check = storage::NotificationOutbox::open(outbox.toStdString());
    QVERIFY(check);
    QTRY_COMPARE(*check->waiting(""), std::int64_t{0});
    // Restarted again while it still fires: the receiver already knows; nothing is sent.
    {
        NotificationService third(webhookConfig(receiver), m_http, clock);
        third.start(outbox, 0);
        clock.set(kT0 + 120'000);
        third.onAlerts(snapshot({alert(AlertState::Firing, kT0 - 1000)}));
        QTest::qWait(200);
        QCOMPARE(receiver.bodies().size(), std::size_t{1});
    }
    // Restarted after it resolved while nobody ran: the receiver is told it resolved.
    NotificationService fourth(webhookConfig(receiver), m_http, clock);
    fourth.start(outbox, 0);
    clock.set(kT0 + 180'000);
    fourth.onAlerts(snapshot({}));
    QTRY_COMPARE(receiver.bodies().size(), std::size_t{2});
    QCOMPARE(statusOf(receiver.bodies()[1]), QStringLiteral("resolved"));
}

void TstNotificationService::alertmanagerGetsFiringAlerts()
{
    Receiver alertmanager;
    Config config;
    ReceiverConfig am;
    am.http.url = alertmanager.url("/");
    config.notify.alertmanager = am;
    ManualClock clock(kT0);
    NotificationService service(config, m_http, clock);
    service.start(QString(), 0);
    Alert silenced = alert(AlertState::Firing, kT0 - 1000);
    silenced.labels.set("instance", "quiet:80");
    silenced.silencedBy = 7;
    service.onAlerts(snapshot({alert(AlertState::Firing, kT0 - 1000), silenced}));
    QTRY_COMPARE(alertmanager.bodies().size(), std::size_t{1});
    QCOMPARE(alertmanager.paths().front(), std::string("/api/v2/alerts"));
    const QJsonArray alerts = alertmanager.bodies().front().array();
    QCOMPARE(alerts.size(), 1); // the silenced one is never notified
    const QJsonObject a = alerts.at(0).toObject();
    QCOMPARE(a.value(QStringLiteral("labels")).toObject().value(QStringLiteral("instance")).toString(),
             QStringLiteral("api:80"));
    QCOMPARE(a.value(QStringLiteral("startsAt")).toString(), QStringLiteral("2026-11-30T00:53:19Z"));
    QCOMPARE(a.value(QStringLiteral("endsAt")).toString(), QStringLiteral("2026-11-30T00:57:20Z")); // now + 4 min
    // Not again until the resend delay; at once when it resolves.
    clock.set(kT0 + 30'000);
    service.onAlerts(snapshot({alert(AlertState::Firing, kT0 - 1000)}));
    QTest::qWait(100);
    QCOMPARE(alertmanager.bodies().size(), std::size_t{1});
    clock.set(kT0 + 40'000);
    service.onAlerts(snapshot({alert(AlertState::Inactive, kT0 - 1000, kT0 + 40'000)}));
    QTRY_COMPARE(alertmanager.bodies().size(), std::size_t{2});
    QCOMPARE(alertmanager.bodies().back().array().at(0).toObject().value(QStringLiteral("endsAt")).toString(),
             QStringLiteral("2026-11-30T00:54:00Z"));
    // Firing again 10 s later is a new alert to Alertmanager: sent at once, not after the resend delay.
    clock.set(kT0 + 50'000);
    service.onAlerts(snapshot({alert(AlertState::Firing, kT0 + 50'000)}));
    QTRY_COMPARE(alertmanager.bodies().size(), std::size_t{3});
    QCOMPARE(alertmanager.bodies().back().array().at(0).toObject().value(QStringLiteral("startsAt")).toString(),
             QStringLiteral("2026-11-30T00:54:10Z"));
}

void TstNotificationService::aRefusedNotificationDoesNotHoldBackTheRest()
{
    Receiver receiver;
    receiver.refuseNext();
    ManualClock clock(kT0);
    NotificationService service(webhookConfig(receiver), m_http, clock);
    std::vector<QString> failures;
    connect(&service, &NotificationService::deliveryFailed, this,
            [&failures](const QString &, const QString &error) { failures.push_back(error); });
    service.start(QString(), 0);
    service.onAlerts(snapshot({alert(AlertState::Firing, kT0 - 1000)}));
    QTRY_COMPARE(failures.size(), std::size_t{1});
    QCOMPARE(failures.front(), QStringLiteral("HTTP 400 (not retried)"));
    // The resolved notification behind it goes at once, without waiting for a retry of the first.
    clock.set(kT0 + 10'000);
    service.onAlerts(snapshot({alert(AlertState::Inactive, kT0 - 1000, kT0 + 10'000)}));
    QTRY_COMPARE(receiver.bodies().size(), std::size_t{1});
    QCOMPARE(statusOf(receiver.bodies()[0]), QStringLiteral("resolved"));
    QCOMPARE(receiver.refused(), 1);
}

QTEST_GUILESS_MAIN(TstNotificationService)
#include "tst_notification_service.moc"
