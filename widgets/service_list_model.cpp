// ServiceListModel: rows of TargetStatus with status dots and escaped tooltips.
#include "widgets/service_list_model.h"

#include "widgets/display_text.h"

#include <QColor>
#include <QDateTime>
#include <QPainter>
#include <QPixmap>

#include <algorithm>
#include <climits>

namespace pulse {
namespace {

QColor healthColor(TargetHealth h)
{
    switch (h) {
    case TargetHealth::Up: return QColor(0x2e, 0xcc, 0x71);
    case TargetHealth::Degraded: return QColor(0xf3, 0x9c, 0x12);
    case TargetHealth::Down: return QColor(0xe7, 0x4c, 0x3c);
    case TargetHealth::Unknown: break;
    }
    return QColor(0x95, 0xa5, 0xa6);
}

QPixmap dot(TargetHealth h)
{
    QPixmap pm(12, 12);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(healthColor(h));
    p.drawEllipse(1, 1, 10, 10);
    return pm;
}

QString timeText(std::int64_t ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                  : QStringLiteral("never");
}

} // namespace

ServiceListModel::ServiceListModel(QObject *parent) : QAbstractTableModel(parent) {}

int ServiceListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ServiceListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ServiceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Target");
    case UptimeColumn: return tr("Up 24h");
    case LastRunColumn: return tr("Last run");
    default: return {};
    }
}

QString ServiceListModel::widestText(Column column)
{
    switch (column) {
    case UptimeColumn: return QStringLiteral("100.00%");
    case LastRunColumn: {
        // Seconds up to 119, then minutes; a translation may make either the wider.
        const QString seconds = tr("%1 s ago").arg(119);
        const QString minutes = tr("%1 min ago").arg(999999);
        return seconds.size() > minutes.size() ? seconds : minutes;
    }
    default: return {};
    }
}

void ServiceListModel::setUptime(const QHash<QString, double> &uptimeByTarget)
{
    m_uptime = uptimeByTarget;
    if (!m_rows.empty())
        emit dataChanged(index(0, UptimeColumn), index(rowCount() - 1, UptimeColumn));
}

void ServiceListModel::setNow(std::int64_t nowMs)
{
    m_nowMs = nowMs;
    if (!m_rows.empty())
        emit dataChanged(index(0, LastRunColumn), index(rowCount() - 1, LastRunColumn));
}

QVariant ServiceListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const TargetStatus &s = m_rows[static_cast<std::size_t>(index.row())];
    const QString name = QString::fromStdString(s.name);
    if (role == Qt::DisplayRole && index.column() == UptimeColumn) {
        const auto it = m_uptime.find(name);
        return it == m_uptime.end() ? QStringLiteral("–") : QString::number(*it * 100, 'f', 2) + QLatin1Char('%');
    }
    if (role == Qt::DisplayRole && index.column() == LastRunColumn) {
        if (s.lastRunMs <= 0 || m_nowMs <= 0)
            return QStringLiteral("–");
        const std::int64_t ago = std::max<std::int64_t>(0, (m_nowMs - s.lastRunMs) / 1000);
        return ago < 120 ? tr("%1 s ago").arg(ago) : tr("%1 min ago").arg(ago / 60);
    }
    if (index.column() != NameColumn && role != Qt::ToolTipRole)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return neutraliseBidi(name);
    case NameRole:
        return name;
    case Qt::DecorationRole: {
        QPixmap &cached = m_dots.at(static_cast<std::size_t>(s.health));
        if (cached.isNull())
            cached = dot(s.health);
        return cached;
    }
    case Qt::ToolTipRole: {
        // Tooltips are rich text when they look like it: escape every piece of data.
        QString tip = QStringLiteral("<b>%1</b> (%2)<br>%3<br>status: %4<br>last success: %5")
                          .arg(neutraliseBidi(name).toHtmlEscaped(), QString::fromStdString(s.kind).toHtmlEscaped(),
                               neutraliseBidi(QString::fromStdString(s.endpoint)).toHtmlEscaped(),
                               QString::fromLatin1(healthName(s.health)), timeText(s.lastSuccessMs));
        if (s.futureLastRun != 0)
            tip += tr("<br>last scrape: %n sample(s) stamped too far in the future were dropped (max_future)", nullptr,
                      static_cast<int>(std::min<std::uint64_t>(s.futureLastRun, INT_MAX)));
        if (s.ancientLastRun != 0)
            tip += tr("<br>last scrape: %n sample(s) stamped before 2001 (seconds written as milliseconds?)", nullptr,
                      static_cast<int>(std::min<std::uint64_t>(s.ancientLastRun, INT_MAX)));
        if (s.duplicatesLastRun != 0)
            tip += tr("<br>last scrape repeated a series %n time(s): the first sample of each was kept", nullptr,
                      static_cast<int>(std::min<std::uint64_t>(s.duplicatesLastRun, INT_MAX)));
        if (!s.lastError.empty())
            tip += QStringLiteral("<br>last error: ") + neutraliseBidi(QString::fromStdString(s.lastError)).toHtmlEscaped();
        return tip;
    }
    case HealthRole:
        return static_cast<int>(s.health);
    case LastErrorRole:
        return QString::fromStdString(s.lastError);
    default:
        return {};
    }
}

void ServiceListModel::setTargets(std::vector<TargetStatus> statuses)
{
    beginResetModel();
    m_rows = std::move(statuses);
    m_rowByName.clear();
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        m_rowByName.insert(QString::fromStdString(m_rows[i].name), static_cast<int>(i));
    endResetModel();
}

void ServiceListModel::updateStatus(const TargetStatus &status)
{
    updateStatuses({status});
}

void ServiceListModel::updateStatuses(const std::vector<TargetStatus> &statuses)
{
    int first = rowCount();
    int last = -1;
    for (const TargetStatus &status : statuses) {
        const QString name = QString::fromStdString(status.name);
        const auto it = m_rowByName.constFind(name);
        if (it == m_rowByName.constEnd()) {
            const int row = rowCount();
            beginInsertRows({}, row, row);
            m_rows.push_back(status);
            m_rowByName.insert(name, row);
            endInsertRows();
            continue;
        }
        m_rows[static_cast<std::size_t>(*it)] = status;
        first = std::min(first, *it);
        last = std::max(last, *it);
    }
    if (last >= first)
        emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

int ServiceListModel::upCount() const
{
    return static_cast<int>(std::count_if(m_rows.begin(), m_rows.end(),
                                          [](const TargetStatus &s) { return s.health == TargetHealth::Up; }));
}

} // namespace pulse
