// AlertService: timer-driven rule evaluation, ALERTS write-back, silences on disk.
#include "app/services/alert_service.h"

#include "app/services/query_service.h"
#include "core/promql/engine.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTimer>

#include <algorithm>
#include <chrono>

namespace pulse {

AlertService::AlertService(QueryService &queries, const std::vector<AlertRuleConfig> &rules, const Clock &clock,
                           QObject *parent)
    : QObject(parent), m_queries(queries), m_clock(clock), m_timer(new QTimer(this))
{
    auto evaluator = AlertEvaluator::create(rules);
    if (evaluator)
        m_evaluator = std::move(*evaluator);
    else
        m_rulesError = QString::fromStdString(evaluator.error().message);
    // Precise: a coarse timer may fire up to 5 % early, and a rule whose `for:` equals the evaluation
    // interval would then fire one evaluation late at random (seen as a flaky tst_pulsectl_run in CI).
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &AlertService::evaluate);
}

AlertService::~AlertService() = default;

void AlertService::start(std::int64_t intervalMs, const QString &silencesPath)
{
    m_silencesPath = silencesPath;
    if (!silencesPath.isEmpty() && QFileInfo::exists(silencesPath)) {
        QFile file(silencesPath);
        if (file.open(QIODevice::ReadOnly)) {
            const QByteArray bytes = file.read(4 * 1024 * 1024);
            auto list =
                SilenceList::fromJson(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
            if (list)
                m_silences = std::move(*list);
            else // keep the file as it is: it may be fixed by hand, and we must not overwrite it
                m_silencesError = tr("%1: %2").arg(silencesPath, QString::fromStdString(list.error().message));
        } else {
            m_silencesError = tr("%1: %2").arg(silencesPath, file.errorString());
        }
    }
    if (intervalMs > 0) {
        m_intervalMs = intervalMs;
        m_timer->start(static_cast<int>(intervalMs));
    }
    publish({});
}

void AlertService::setRecordingRules(std::vector<RecordingRuleConfig> rules)
{
    m_recording.clear();
    for (RecordingRuleConfig &rule : rules)
        m_recording.push_back(Recording{std::move(rule), {}, INT64_MIN, {}});
}

void AlertService::record(std::int64_t now, std::vector<RuleHealth> &health)
{
    MetricBatch batch;
    batch.target = "rules";
    batch.scrapeStartMs = now;
    const promql::Engine engine(m_queries.readerFor(1000));
    for (Recording &r : m_recording) {
        // A rule of a group with its own interval runs at the first evaluation that long after its
        // last (AlertEvaluator does the same for alerting rules); its series stay current between.
        const std::int64_t intervalMs = r.rule.interval.count();
        if (r.lastRunMs != INT64_MIN && intervalMs > 0 && now - r.lastRunMs < intervalMs) {
            health.push_back(r.lastHealth);
            continue;
        }
        r.lastRunMs = now;
        RuleHealth h;
        h.rule = r.rule.record;
        h.lastEvaluationMs = now;
        const auto started = std::chrono::steady_clock::now();
        auto recorded = evaluateRecordingRule(r.rule, engine, now, r.lastWritten);
        h.evaluationNs =
            std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started).count();
        if (!recorded) {
            h.error = recorded.error().message; // as Prometheus: nothing written, nothing ended
        } else {
            for (auto &[labels, value] : recorded->samples)
                batch.samples.push_back({r.rule.record, std::move(labels), now, value});
            for (Labels &gone : recorded->ended)
                batch.samples.push_back({r.rule.record, std::move(gone), now, staleMarker()});
        }
        r.lastHealth = h;
        health.push_back(std::move(h));
    }
    if (!batch.samples.empty())
        m_queries.ingest(std::move(batch));
}

void AlertService::evaluate()
{
    if (!m_evaluator)
        return;
    const std::int64_t now = evaluationTime();
    std::vector<RuleHealth> recorded;
    record(now, recorded);
    const auto readerFor = [this](std::int64_t /*startMs*/) -> const HistoryReader & {
        return m_queries.readerFor(1000);
    };
    if (!m_restored) {
        // After a restart, pending/firing alerts keep counting `for:` from when they began.
        const promql::Engine engine(readerFor(now - 3600 * 1000));
        m_evaluator->restore(engine, now);
        m_restored = true;
    }
    AlertEvaluation evaluation = m_evaluator->evaluate(readerFor, now);
    m_lastAtMs = now;
    m_alerts = std::move(evaluation.alerts);
    m_health = std::move(evaluation.health);
    m_health.insert(m_health.begin(), recorded.begin(), recorded.end());
    if (!evaluation.series.samples.empty())
        m_queries.ingest(std::move(evaluation.series));
    publish(std::move(evaluation.transitions));
}

std::int64_t AlertService::evaluationTime()
{
    const std::int64_t now = m_clock.nowMs();
    if (m_intervalMs <= 0 || m_lastAtMs == 0)
        return now; // driven by hand (tests), or the first evaluation: it starts the grid
    // On the timer, evaluations are stamped on the grid the first one started, as Prometheus stamps a
    // group's: an evaluation that ran late (a busy machine) would otherwise leave the next one less
    // than an interval after it, and a rule whose `for:` equals the interval would fire a whole
    // evaluation late.
    const std::int64_t steps = (now - m_lastAtMs + m_intervalMs / 2) / m_intervalMs;
    return m_lastAtMs + std::max<std::int64_t>(1, steps) * m_intervalMs;
}

void AlertService::addSilence(const QString &matchers, std::int64_t durationMs, const QString &comment)
{
    auto parsed = parseMatchers(matchers.toStdString());
    if (!parsed) {
        emit silenceRejected(QString::fromStdString(parsed.error().message));
        return;
    }
    if (durationMs <= 0) {
        emit silenceRejected(tr("a silence needs a duration"));
        return;
    }
    const std::int64_t now = m_clock.nowMs();
    m_silences.add(Silence{0, std::move(*parsed), now, now + durationMs, comment.toStdString()});
    saveSilences();
    publish({});
}

void AlertService::expireSilence(quint64 id)
{
    if (m_silences.expire(id, m_clock.nowMs())) {
        saveSilences();
        publish({});
    }
}

void AlertService::setAcknowledged(const QString &key, bool acknowledged)
{
    if (acknowledged)
        m_silences.acknowledge(key.toStdString());
    else
        m_silences.unacknowledge(key.toStdString());
    saveSilences();
    publish({});
}

void AlertService::publish(std::vector<AlertTransition> transitions)
{
    const std::int64_t now = m_clock.nowMs();
    m_silences.prune(now, kSilenceKeepMs);
    if (m_lastAtMs > 0) // before the first evaluation there are no alerts, and no acks to drop
        m_silences.apply(m_alerts, now);
    AlertSnapshot snapshot;
    snapshot.atMs = m_lastAtMs;
    snapshot.alerts = m_alerts;
    snapshot.health = m_health;
    snapshot.silences = m_silences.silences();
    snapshot.transitions = std::move(transitions);
    snapshot.error = m_rulesError.isEmpty() ? m_silencesError : m_rulesError;
    emit updated(std::move(snapshot));
}

void AlertService::saveSilences()
{
    if (m_silencesPath.isEmpty() || !m_silencesError.isEmpty())
        return; // an unreadable file is left alone
    QDir().mkpath(QFileInfo(m_silencesPath).absolutePath());
    QSaveFile file(m_silencesPath); // atomic: a crash never leaves half a file
    const std::string json = m_silences.toJson();
    if (!file.open(QIODevice::WriteOnly) || file.write(json.data(), static_cast<qint64>(json.size())) < 0 ||
        !file.commit())
        m_silencesError = tr("cannot save silences to %1: %2").arg(m_silencesPath, file.errorString());
}

} // namespace pulse
