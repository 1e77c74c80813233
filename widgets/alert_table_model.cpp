// AlertTableModel: ordering (firing, pending, resolved; newest first), filtering, and text.
#include "widgets/alert_table_model.h"

#include "widgets/display_text.h"
#include "widgets/tool_tip.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QFont>

#include <algorithm>

namespace pulse {
namespace {

/// qs is a piece of alert text as shown (rule names, labels and annotations come from data).
QString qs(std::string_view s)
{
    return neutraliseBidi(QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())));
}

int rank(const Alert &a)
{
    switch (a.state) {
    case AlertState::Firing:
        return 0;
    case AlertState::Pending:
        return 1;
    case AlertState::Inactive:
        break;
    }
    return 2;
}

/// labelsText lists the labels that tell instances apart (alertname and severity have columns).
QString labelsText(const Alert &a)
{
    QStringList parts;
    for (const auto &l : a.labels) {
        if (l.name == "alertname" || l.name == "severity")
            continue;
        parts << qs(l.name) + QLatin1Char('=') + qs(l.value);
    }
    return parts.join(QStringLiteral(", "));
}

QString annotation(const Alert &a, std::string_view name)
{
    for (const auto &[key, value] : a.annotations)
        if (key == name)
            return qs(value);
    return {};
}

QString timeText(std::int64_t ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

QString durationText(std::int64_t ms)
{
    const std::int64_t s = std::max<std::int64_t>(0, ms / 1000);
    if (s < 60)
        return QStringLiteral("%1s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1m %2s").arg(s / 60).arg(s % 60);
    if (s < 86400)
        return QStringLiteral("%1h %2m").arg(s / 3600).arg(s / 60 % 60);
    return QStringLiteral("%1d %2h").arg(s / 86400).arg(s / 3600 % 24);
}

QString alertStateText(const Alert &alert)
{
    QString text = alert.state == AlertState::Inactive ? QStringLiteral("resolved") : qs(alertStateName(alert.state));
    if (alert.acknowledged)
        text += QStringLiteral(" · acked");
    if (alert.silencedBy != 0)
        text += QStringLiteral(" · silenced");
    return text;
}

AlertTableModel::AlertTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void AlertTableModel::setAlerts(std::vector<Alert> alerts, std::int64_t nowMs)
{
    std::ranges::stable_sort(alerts, [](const Alert &a, const Alert &b) {
        if (rank(a) != rank(b))
            return rank(a) < rank(b);
        return a.activeAtMs > b.activeAtMs;
    });
    beginResetModel();
    m_all = std::move(alerts);
    m_nowMs = nowMs;
    rebuildRows();
    endResetModel();
}

void AlertTableModel::setFilter(Filter filter)
{
    beginResetModel();
    m_filter = filter;
    rebuildRows();
    endResetModel();
}

void AlertTableModel::setShowSilenced(bool show)
{
    beginResetModel();
    m_showSilenced = show;
    rebuildRows();
    endResetModel();
}

void AlertTableModel::setTextFilter(const QString &text)
{
    beginResetModel();
    m_text = text;
    rebuildRows();
    endResetModel();
}

bool AlertTableModel::accepts(const Alert &a) const
{
    if (!m_showSilenced && a.silencedBy != 0)
        return false;
    switch (m_filter) {
    case Filter::Firing:
        if (a.state != AlertState::Firing)
            return false;
        break;
    case Filter::Pending:
        if (a.state != AlertState::Pending)
            return false;
        break;
    case Filter::Resolved:
        if (a.state != AlertState::Inactive)
            return false;
        break;
    case Filter::All:
        break;
    }
    if (m_text.isEmpty())
        return true;
    return qs(a.rule).contains(m_text, Qt::CaseInsensitive) || labelsText(a).contains(m_text, Qt::CaseInsensitive) ||
           annotation(a, "summary").contains(m_text, Qt::CaseInsensitive);
}

void AlertTableModel::rebuildRows()
{
    m_rows.clear();
    for (std::size_t i = 0; i < m_all.size(); ++i)
        if (accepts(m_all[i]))
            m_rows.push_back(i);
}

int AlertTableModel::firingCount() const
{
    return static_cast<int>(std::ranges::count_if(m_all, [](const Alert &a) { return a.state == AlertState::Firing; }));
}

int AlertTableModel::pendingCount() const
{
    return static_cast<int>(std::ranges::count_if(m_all, [](const Alert &a) { return a.state == AlertState::Pending; }));
}

const Alert *AlertTableModel::alertAt(int row) const
{
    return row >= 0 && row < rowCount() ? &m_all[m_rows[static_cast<std::size_t>(row)]] : nullptr;
}

int AlertTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int AlertTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const kNames[] = {"State", "Alert", "Severity", "Labels", "Since", "Value", "Summary"};
    return section >= 0 && section < ColumnCount ? tr(kNames[section]) : QVariant();
}

QVariant AlertTableModel::data(const QModelIndex &index, int role) const
{
    const Alert *a = alertAt(index.row());
    if (a == nullptr)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case StateColumn:
            return alertStateText(*a);
        case AlertColumn:
            return qs(a->rule);
        case SeverityColumn:
            return qs(a->severity);
        case LabelsColumn:
            return labelsText(*a);
        case SinceColumn:
            if (a->state == AlertState::Inactive)
                return tr("resolved %1 ago").arg(durationText(m_nowMs - a->resolvedAtMs));
            return tr("%1 (for %2)").arg(timeText(a->activeAtMs), durationText(m_nowMs - a->activeAtMs));
        case ValueColumn:
            return QString::number(a->value, 'g', 6);
        case SummaryColumn:
            return annotation(*a, "summary");
        default:
            return {};
        }
    case Qt::ToolTipRole: {
        QString text = qs(a->rule) + QLatin1Char(' ') + qs(a->labels.toString());
        for (const auto &[name, value] : a->annotations)
            text += QLatin1Char('\n') + qs(name) + QStringLiteral(": ") + qs(value);
        text += QLatin1Char('\n') + tr("active since %1").arg(timeText(a->activeAtMs));
        if (a->firedAtMs > 0)
            text += QLatin1Char('\n') + tr("firing since %1").arg(timeText(a->firedAtMs));
        if (a->resolvedAtMs > 0)
            text += QLatin1Char('\n') + tr("resolved at %1").arg(timeText(a->resolvedAtMs));
        return plainToolTip(text);
    }
    case Qt::ForegroundRole:
        if (a->silencedBy != 0 || a->state == AlertState::Inactive)
            return QBrush(QColor(127, 140, 141));
        if (index.column() == StateColumn)
            return QBrush(a->state == AlertState::Firing ? QColor(231, 76, 60) : QColor(230, 126, 34));
        return {};
    case Qt::FontRole:
        if (a->state == AlertState::Firing && a->silencedBy == 0 && !a->acknowledged) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case KeyRole:
        return qs(a->key());
    case JobRole:
        return qs(a->labels.value("job"));
    case ActiveAtRole:
        return static_cast<qint64>(a->activeAtMs);
    case EndRole:
        return static_cast<qint64>(a->resolvedAtMs);
    case StateRole:
        return static_cast<int>(a->state);
    case SilencedRole:
        return a->silencedBy != 0;
    case AcknowledgedRole:
        return a->acknowledged;
    case MatchersRole: {
        QString text = QStringLiteral("{alertname=\"%1\"").arg(qs(escapeLabelValue(a->rule)));
        for (const char *name : {"job", "instance"})
            if (a->labels.has(name))
                text += QStringLiteral(", %1=\"%2\"").arg(QLatin1String(name), qs(escapeLabelValue(a->labels.value(name))));
        return text + QLatin1Char('}');
    }
    default:
        return {};
    }
}

} // namespace pulse
