// Alert value helpers.
#include "core/alerting/alert.h"

namespace pulse {

std::string_view alertStateName(AlertState state)
{
    switch (state) {
    case AlertState::Pending:
        return "pending";
    case AlertState::Firing:
        return "firing";
    case AlertState::Inactive:
        break;
    }
    return "inactive";
}

std::string Alert::key() const
{
    // The label set already holds alertname; the rule name in front keeps keys readable in logs.
    return rule + labels.toString();
}

} // namespace pulse
