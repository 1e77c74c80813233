// NotificationService: alerts leave the desk. Every evaluation's alerts go through Alertmanager's
// grouping (NotificationGrouper, one per receiver) into a durable outbox (NotificationOutbox), from
// which each webhook receiver gets its notifications in order, retried with backoff; firing and
// resolved alerts are also POSTed to an Alertmanager's /api/v2/alerts as Prometheus does.
//
//   AlertService::updated ──> groupers ──due──> outbox (notifications.db) ──POST──> receiver
//                        └──> Alertmanager: each alert when it fires or resolves, then every minute
//                             while it fires (endsAt 4 min ahead, so it expires if we die)
#pragma once

#include "app/services/alert_service.h"
#include "app/services/self_metrics.h"
#include "core/alerting/notification_grouper.h"
#include "core/base/clock.h"
#include "core/config/config.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class QTimer;

namespace pulse {

class HttpClient;
namespace storage {
class NotificationOutbox;
}

/// ReceiverStatus is how one receiver is doing, for the status bar, the alerts dock and
/// pulse_notifications_* self-metrics.
struct ReceiverStatus {
    std::string name; ///< "webhook", "webhook/<rule>", "alertmanager"
    std::uint64_t sent = 0;
    std::uint64_t failed = 0; ///< attempts that failed (each retry counts)
    std::int64_t waiting = 0; ///< notifications in the outbox
    std::string lastError;    ///< untrusted (a server's words); empty after a success
    std::int64_t lastSuccessMs = 0;
};

struct NotificationStatus {
    std::vector<ReceiverStatus> receivers;
    std::uint64_t dropped = 0; ///< removed unsent from a full outbox
    QString error;             ///< the outbox could not be opened (notifications then are not durable)
};

/// NotificationService lives on the query thread beside AlertService (connect its updated() here).
/// HTTP requests run on the client's I/O threads; their answers come back to this thread.
class NotificationService : public QObject {
    Q_OBJECT
public:
    NotificationService(const Config &config, HttpClient &http, const Clock &clock, QObject *parent = nullptr);
    ~NotificationService() override;

    /// kTickMs is how often groups are checked and deliveries retried.
    static constexpr int kTickMs = 1000;
    /// kAlertmanagerResendMs: a firing alert is sent to Alertmanager again this often (Prometheus's
    /// --rules.alert.resend-delay); its endsAt is 4 of these ahead.
    static constexpr std::int64_t kAlertmanagerResendMs = 60'000;

    /// figures are the receivers' counts for pulse_notifications_* (call on this object's thread).
    NotificationFigures figures() const;

public slots:
    /// start opens the outbox at path (empty: in memory, for tests) and ticks every kTickMs
    /// (tickMs 0: only when tick() is called).
    void start(const QString &outboxPath, int tickMs = kTickMs);
    /// onAlerts takes an evaluation's outcome (AlertService::updated).
    void onAlerts(const pulse::AlertSnapshot &snapshot);
    /// tick flushes due groups into the outbox and sends what is due.
    void tick();

signals:
    void statusChanged(pulse::NotificationStatus status);
    /// deliveryFailed: one attempt to reach receiver failed (for logs; error is untrusted text).
    void deliveryFailed(QString receiver, QString error);

private:
    struct Route;
    void pump();
    void send(Route &route);
    /// delivered ends an attempt: ok, or ok with an error (refused for good: removed unsent), or a
    /// failure to retry after a backoff.
    void delivered(const std::string &receiver, std::int64_t id, bool ok, const std::string &error);
    void pushToAlertmanager(const AlertSnapshot &snapshot);
    void publish();
    NotifyAlert toNotifyAlert(const Alert &alert) const;

    Config m_config;
    HttpClient &m_http;
    const Clock &m_clock;
    QTimer *m_timer = nullptr;
    std::unique_ptr<storage::NotificationOutbox> m_outbox;
    QString m_outboxError;
    std::vector<std::unique_ptr<Route>> m_routes;
    std::map<std::string, std::string> m_exprByRule;
    ReceiverStatus m_alertmanager;
    bool m_alertmanagerBusy = false;
    std::map<std::string, std::int64_t> m_alertmanagerSentMs; ///< by Alert::key(): last sent while firing
};

} // namespace pulse

Q_DECLARE_METATYPE(pulse::NotificationStatus)
