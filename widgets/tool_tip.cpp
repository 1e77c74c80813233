// plainToolTip: escape, then wrap, so the escapes render as the characters they stand for (a
// tooltip without tags would be shown as plain text, "&lt;" and all).
#include "widgets/tool_tip.h"

#include "widgets/display_text.h"

namespace pulse {

QString plainToolTip(const QString &text)
{
    return QStringLiteral("<p style=\"white-space:pre-wrap\">") + neutraliseBidi(text).toHtmlEscaped() + QStringLiteral("</p>");
}

} // namespace pulse
