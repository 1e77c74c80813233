// AlertNotifier: turns an evaluation's state changes into the few messages worth interrupting
// someone for — an alert started firing, or a firing alert resolved — and shows them as desktop
// notifications when the platform has a system tray. The tray icon's colour is the worst firing
// severity (green: none, amber: warning, red: critical or page); clicking the icon asks for the
// window, clicking a notification for its alert's drill-down.
#pragma once

#include "core/alerting/alert.h"

#include <QIcon>
#include <QObject>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

class QSystemTrayIcon;

namespace pulse {

struct AlertNotice {
    QString title; ///< "FIRING: ApiDown" / "RESOLVED: ApiDown"
    QString body;  ///< the summary annotation, else the labels; plain text
    bool critical = false;
    /// alert is the one alert the notice is about (none for "N alerts firing"): what a click opens.
    std::optional<Alert> alert;
};

/// TrayLevel is the worst firing severity, as the tray icon shows it.
enum class TrayLevel { Ok, Warning, Critical };

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

    /// trayLevel is the worst severity among firing alerts that are not silenced: critical (or
    /// page) is Critical, any other firing alert Warning (pure; public for tests).
    static TrayLevel trayLevel(const std::vector<Alert> &alerts);
    /// trayIcon draws a level's icon: a disc in its colour (green, amber, red), readable on light
    /// and dark panels.
    static QIcon trayIcon(TrayLevel level);

    /// notify shows the notices of these transitions (a tray message when a tray exists).
    void notify(const std::vector<AlertTransition> &transitions);
    /// setAlerts shows the worst firing severity of an evaluation (at nowMs) in the tray icon and
    /// its tooltip.
    void setAlerts(const std::vector<Alert> &alerts, std::int64_t nowMs);
    TrayLevel level() const { return m_level; }
    /// messageClicked opens what the last notification was about (the tray calls it on a click;
    /// public so tests without a tray can).
    void messageClicked();
    /// setEnabled turns desktop notifications on or off (View menu).
    void setEnabled(bool enabled) { m_enabled = enabled; }
    bool isEnabled() const { return m_enabled; }

signals:
    /// shown reports every notice, tray or not (the status bar repeats it).
    void shown(pulse::AlertNotice notice);
    /// windowRequested: the tray icon was clicked; show and raise the window.
    void windowRequested();
    /// drillDownRequested: a notification about one alert was clicked (alert_drill_down.h).
    void drillDownRequested(QString job, std::int64_t startMs, std::int64_t endMs, std::int64_t atMs);

private:
    QSystemTrayIcon *m_tray = nullptr;
    bool m_enabled = true;
    TrayLevel m_level = TrayLevel::Ok;
    std::optional<Alert> m_lastNotified; ///< the alert of the last notification shown, if one
    std::int64_t m_nowMs = 0;            ///< the last evaluation's time (setAlerts): where an open alert's range ends
};

} // namespace pulse
