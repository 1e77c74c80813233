// AlertNotifier: turns an evaluation's state changes into the few messages worth interrupting
// someone for — an alert started firing, or a firing alert resolved — and shows them as desktop
// notifications when the platform has a system tray.
#pragma once

#include "core/alerting/alert.h"

#include <QObject>
#include <QString>

#include <vector>

class QSystemTrayIcon;

namespace pulse {

struct AlertNotice {
    QString title; ///< "FIRING: ApiDown" / "RESOLVED: ApiDown"
    QString body;  ///< the summary annotation, else the labels; plain text
    bool critical = false;
};

/// AlertNotifier never notifies about silenced alerts or pending ones, and says "N alerts firing"
/// instead of N messages when many fire at once.
class AlertNotifier : public QObject {
    Q_OBJECT
public:
    explicit AlertNotifier(QObject *parent = nullptr);

    /// markupSafe is a notification body as the tray must hand it on: freedesktop notification
    /// servers read the body as a subset of HTML, so `<b>api</b>` in an annotation would be drawn
    /// bold (and `<a href>` a link); escaped, it shows as the text it is.
    static QString markupSafe(const QString &body);
    /// notices picks what to tell from one evaluation's transitions (pure; public for tests).
    static std::vector<AlertNotice> notices(const std::vector<AlertTransition> &transitions);

    /// notify shows the notices of these transitions (a tray message when a tray exists).
    void notify(const std::vector<AlertTransition> &transitions);
    /// setEnabled turns desktop notifications on or off (View menu).
    void setEnabled(bool enabled) { m_enabled = enabled; }
    bool isEnabled() const { return m_enabled; }

signals:
    /// shown reports every notice, tray or not (the status bar repeats it).
    void shown(pulse::AlertNotice notice);

private:
    QSystemTrayIcon *m_tray = nullptr;
    bool m_enabled = true;
};

} // namespace pulse
