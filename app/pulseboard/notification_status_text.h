// notificationStatusText: the status bar's word on notifications — nothing while every receiver
// keeps up, else what waits and why (the receiver's answer is untrusted text: shown as plain text).
#pragma once

#include "app/services/notification_service.h"

#include <QString>

namespace pulse {

/// NotificationStatusText is a label's text and tooltip; empty text: hide the label.
struct NotificationStatusText {
    QString text;
    QString toolTip; ///< plain text, one line per receiver
    bool failing = false;
};

NotificationStatusText notificationStatusText(const NotificationStatus &status);

} // namespace pulse
