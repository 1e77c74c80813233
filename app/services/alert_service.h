// AlertService: the alerting rules, evaluated on the query thread over the live history, with
// silences and acknowledgements kept in a file beside the history.
#pragma once

#include "core/alerting/alert_evaluator.h"
#include "core/alerting/silence_list.h"
#include "core/base/clock.h"
#include "core/config/rule_group.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <climits>
#include <memory>
#include <optional>

class QTimer;

namespace pulse {

class QueryService;

/// AlertSnapshot is everything the alerts dock shows, sent by value after every evaluation and
/// after every silence or acknowledgement change.
struct AlertSnapshot {
    std::int64_t atMs = 0;
    std::vector<Alert> alerts;
    std::vector<RuleHealth> health;
    std::vector<Silence> silences;
    std::vector<AlertTransition> transitions; ///< changes made by this evaluation (empty otherwise)
    QString error;                            ///< rules or the silences file could not be loaded; untrusted, plain text
};

/// AlertService evaluates every rule each interval, feeds the ALERTS series back into the history
/// (so firing bands and alert history are ordinary queries), and applies silences.
///
/// Threading: lives on the query thread next to QueryService (which it reads and feeds directly);
/// talk to it through queued signals only.
class AlertService : public QObject {
    Q_OBJECT
public:
    AlertService(QueryService &queries, const std::vector<AlertRuleConfig> &rules, const Clock &clock,
                 QObject *parent = nullptr);
    /// setRecordingRules sets the rule files' recording rules, evaluated before the alerting rules at
    /// every evaluation; their series go into the history like scraped ones (a rule reading another's
    /// output sees it from the writer's next commit). Call before start().
    void setRecordingRules(std::vector<RecordingRuleConfig> rules);
    ~AlertService() override;

    /// kSilenceKeepMs: expired silences stay listed (and on disk) this long.
    static constexpr std::int64_t kSilenceKeepMs = 24LL * 3600 * 1000;

public slots:
    /// start loads the silences file (empty path: silences live in memory only) and evaluates every
    /// intervalMs from now on; intervalMs 0 means "only when evaluate() is called" (tests).
    void start(std::int64_t intervalMs, const QString &silencesPath);
    /// evaluate runs every rule at the clock's now and publishes the outcome.
    void evaluate();
    /// addSilence mutes alerts matching `matchers` (`{alertname="X"}` syntax) from now for durationMs.
    void addSilence(const QString &matchers, std::int64_t durationMs, const QString &comment);
    void expireSilence(quint64 id);
    /// setAcknowledged marks the alert instance `key` (Alert::key()) as being handled, or not.
    void setAcknowledged(const QString &key, bool acknowledged);

signals:
    void updated(pulse::AlertSnapshot snapshot);
    /// silenceRejected: the matchers did not parse; the message says where.
    void silenceRejected(QString error);

private:
    /// evaluationTime is when this evaluation counts as having run: on the timer's grid (see .cpp).
    std::int64_t evaluationTime();
    void publish(std::vector<AlertTransition> transitions);
    /// record evaluates the recording rules at now into one batch (with staleness markers for series
    /// a rule stopped returning) and their health.
    void record(std::int64_t now, std::vector<RuleHealth> &health);
    void saveSilences();

    QueryService &m_queries;
    const Clock &m_clock;
    std::optional<AlertEvaluator> m_evaluator;
    QString m_rulesError;
    SilenceList m_silences;
    QString m_silencesPath;
    QString m_silencesError;
    QTimer *m_timer;
    bool m_restored = false;
    std::int64_t m_lastAtMs = 0;
    std::int64_t m_intervalMs = 0; ///< the timer's; 0 when evaluations are driven by hand
    std::vector<Alert> m_alerts;
    std::vector<RuleHealth> m_health;
    struct Recording {
        RecordingRuleConfig rule;
        std::vector<Labels> lastWritten;    ///< its series at the last evaluation
        std::int64_t lastRunMs = INT64_MIN; ///< when it last ran (its group's interval counts from there)
        RuleHealth lastHealth;              ///< how that run went (shown until it runs again)
    };
    std::vector<Recording> m_recording;
};

} // namespace pulse

Q_DECLARE_METATYPE(pulse::AlertSnapshot)
