// notificationStatusText: what the status bar says about notification delivery.
#include "app/pulseboard/notification_status_text.h"

#include <QCoreApplication>

namespace pulse {

namespace {

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

QString tr(const char *text)
{
    return QCoreApplication::translate("NotificationStatus", text);
}

} // namespace

NotificationStatusText notificationStatusText(const NotificationStatus &status)
{
    NotificationStatusText out;
    std::int64_t waiting = 0;
    QStringList lines;
    QString firstError;
    for (const ReceiverStatus &r : status.receivers) {
        waiting += r.waiting;
        QString line =
            tr("%1: %2 sent, %3 failed attempts, %4 waiting").arg(qs(r.name)).arg(r.sent).arg(r.failed).arg(r.waiting);
        if (!r.lastError.empty()) {
            line += tr(" — last error: %1").arg(qs(r.lastError));
            if (firstError.isEmpty())
                firstError = qs(r.name) + QStringLiteral(": ") + qs(r.lastError);
        }
        lines << line;
    }
    if (status.dropped > 0)
        lines << tr("%1 dropped unsent (the outbox was full)").arg(status.dropped);
    if (!status.error.isEmpty())
        lines << status.error;
    out.toolTip = lines.join(QLatin1Char('\n'));
    out.failing = !firstError.isEmpty() || !status.error.isEmpty();
    if (firstError.isEmpty() && waiting == 0 && status.error.isEmpty())
        return out; // all delivered: nothing to say
    if (!firstError.isEmpty())
        out.text = tr("notifications: %1 waiting (%2)").arg(waiting).arg(firstError.left(80));
    else if (waiting > 0)
        out.text = tr("notifications: %1 waiting").arg(waiting);
    else
        out.text = tr("notifications not kept across restarts");
    return out;
}

} // namespace pulse
