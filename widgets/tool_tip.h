// Tooltips for untrusted text: Qt shows a tooltip as rich text when it "looks like" HTML, so data is
// always escaped and wrapped, which shows it literally whatever it contains.
#pragma once

#include <QString>

namespace pulse {

/// plainToolTip returns a tooltip that displays `text` exactly (line breaks kept; bidirectional
/// controls shown as "[U+202E]", see neutraliseBidi).
QString plainToolTip(const QString &text);

} // namespace pulse
