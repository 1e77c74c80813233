// AlertNotifier: choosing notices, and the tray icon that shows them.
#include "widgets/alert_notifier.h"

#include <QApplication>
#include <QIcon>
#include <QStyle>
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

} // namespace

AlertNotifier::AlertNotifier(QObject *parent) : QObject(parent)
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning), this);
        m_tray->setToolTip(tr("Pulseboard"));
        m_tray->show();
    }
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
                       fired && (t.alert.severity == "critical" || t.alert.severity == "page")});
    }
    constexpr std::size_t kMaxSeparate = 3;
    if (out.size() > kMaxSeparate) {
        const auto firing = std::count_if(out.begin(), out.end(), [](const AlertNotice &n) {
            return n.title.startsWith(QStringLiteral("FIRING"));
        });
        const bool critical = std::any_of(out.begin(), out.end(), [](const AlertNotice &n) { return n.critical; });
        QStringList titles;
        for (const auto &n : out)
            titles << n.title;
        out = {{tr("%1 alerts firing, %2 resolved").arg(firing).arg(static_cast<qsizetype>(out.size()) - firing),
                titles.join(QLatin1Char('\n')), critical}};
    }
    return out;
}

QString AlertNotifier::markupSafe(const QString &body)
{
    return body.toHtmlEscaped();
}

void AlertNotifier::notify(const std::vector<AlertTransition> &transitions)
{
    for (const auto &notice : notices(transitions)) {
        emit shown(notice);
        // The title is plain text to every notification server; the body is markup to
        // freedesktop ones (Qt hands it over as it is), so it goes escaped.
        if (m_enabled && m_tray)
            m_tray->showMessage(notice.title, markupSafe(notice.body),
                                notice.critical ? QSystemTrayIcon::Critical : QSystemTrayIcon::Warning, 15000);
    }
}

} // namespace pulse
