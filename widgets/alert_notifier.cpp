// AlertNotifier: choosing notices, and the tray icon that shows them.
#include "widgets/alert_notifier.h"

#include "widgets/alert_drill_down.h"

#include <QColor>
#include <QDateTime>
#include <QPainter>
#include <QPixmap>
#include <QSystemTrayIcon>

namespace pulse {
namespace {

QString qs(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

QString bodyOf(const Alert &a)
{
    for (const auto &[name, value] : a.annotations)
        if (name == "summary")
            return qs(value);
    return qs(a.labels.toString());
}

bool isCritical(const Alert &a)
{
    return a.severity == "critical" || a.severity == "page";
}

} // namespace

AlertNotifier::AlertNotifier(QObject *parent) : QObject(parent)
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(trayIcon(TrayLevel::Ok), this);
        m_tray->setToolTip(tr("Pulseboard: nothing firing"));
        connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
            if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
                emit windowRequested();
        });
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, &AlertNotifier::messageClicked);
        m_tray->show();
    }
}

TrayLevel AlertNotifier::trayLevel(const std::vector<Alert> &alerts)
{
    TrayLevel worst = TrayLevel::Ok;
    for (const Alert &a : alerts) {
        if (a.state != AlertState::Firing || a.silencedBy != 0)
            continue;
        if (isCritical(a))
            return TrayLevel::Critical;
        worst = TrayLevel::Warning;
    }
    return worst;
}

QIcon AlertNotifier::trayIcon(TrayLevel level)
{
    const QColor fill = level == TrayLevel::Critical  ? QColor(0xd3, 0x2f, 0x2f)
                        : level == TrayLevel::Warning ? QColor(0xf5, 0xa6, 0x23)
                                                      : QColor(0x2e, 0x9d, 0x4f);
    QIcon icon;
    for (const int size : {16, 22, 32, 64}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        // A dark rim keeps the disc visible on a light panel, the fill on a dark one.
        painter.setPen(QPen(QColor(0, 0, 0, 140), std::max(1.0, size / 16.0)));
        painter.setBrush(fill);
        const double margin = size / 8.0;
        painter.drawEllipse(QRectF(margin, margin, size - 2 * margin, size - 2 * margin));
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

void AlertNotifier::setAlerts(const std::vector<Alert> &alerts, std::int64_t nowMs)
{
    m_nowMs = nowMs;
    const TrayLevel level = trayLevel(alerts);
    int firing = 0;
    int criticalFiring = 0;
    for (const Alert &a : alerts) {
        if (a.state == AlertState::Firing && a.silencedBy == 0) {
            ++firing;
            criticalFiring += isCritical(a) ? 1 : 0;
        }
    }
    if (!m_tray) {
        m_level = level;
        return;
    }
    if (level != m_level)
        m_tray->setIcon(trayIcon(level));
    m_level = level;
    m_tray->setToolTip(firing == 0 ? tr("Pulseboard: nothing firing")
                       : criticalFiring == 0
                           ? tr("Pulseboard: %n alert(s) firing", nullptr, firing)
                           : tr("Pulseboard: %n alert(s) firing, %1 critical", nullptr, firing).arg(criticalFiring));
}

void AlertNotifier::messageClicked()
{
    if (!m_lastNotified) {
        emit windowRequested();
        return;
    }
    const std::int64_t now = m_nowMs > 0 ? m_nowMs : QDateTime::currentMSecsSinceEpoch();
    if (const auto to = alertDrillDown(*m_lastNotified, now))
        emit drillDownRequested(to->job, to->startMs, to->endMs, to->atMs);
    else
        emit windowRequested();
}

std::vector<AlertNotice> AlertNotifier::notices(const std::vector<AlertTransition> &transitions)
{
    std::vector<AlertNotice> out;
    for (const auto &t : transitions) {
        if (t.alert.silencedBy != 0)
            continue;
        const bool fired = t.alert.state == AlertState::Firing;
        const bool resolved = t.alert.state == AlertState::Inactive && t.from == AlertState::Firing;
        if (!fired && !resolved)
            continue;
        out.push_back({(fired ? tr("FIRING: %1") : tr("RESOLVED: %1")).arg(qs(t.alert.rule)), bodyOf(t.alert),
                       fired && isCritical(t.alert), t.alert});
    }
    constexpr std::size_t kMaxSeparate = 3;
    if (out.size() > kMaxSeparate) {
        const auto firing = std::count_if(
            out.begin(), out.end(), [](const AlertNotice &n) { return n.title.startsWith(QStringLiteral("FIRING")); });
        const bool critical = std::any_of(out.begin(), out.end(), [](const AlertNotice &n) { return n.critical; });
        QStringList titles;
        for (const auto &n : out)
            titles << n.title;
        out = {{tr("%1 alerts firing, %2 resolved").arg(firing).arg(static_cast<qsizetype>(out.size()) - firing),
                titles.join(QLatin1Char('\n')), critical, std::nullopt}};
    }
    return out;
}

QString AlertNotifier::markupSafe(const QString &body)
{
    return body.toHtmlEscaped();
}

void AlertNotifier::notify(const std::vector<AlertTransition> &transitions)
{
    const std::vector<AlertNotice> list = notices(transitions);
    // A click on a message opens its alert — when one message was shown: the tray does not say which
    // of several was clicked, and then it opens the window.
    if (m_enabled && !list.empty()) // (without a tray no click comes; tests call messageClicked)
        m_lastNotified = list.size() == 1 ? list.front().alert : std::nullopt;
    for (const auto &notice : list) {
        emit shown(notice);
        // The title is plain text to every notification server; the body is markup to
        // freedesktop ones (Qt hands it over as it is), so it goes escaped.
        if (m_enabled && m_tray)
            m_tray->showMessage(notice.title, markupSafe(notice.body),
                                notice.critical ? QSystemTrayIcon::Critical : QSystemTrayIcon::Warning, 15000);
    }
}

} // namespace pulse
