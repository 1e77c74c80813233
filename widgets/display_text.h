// neutraliseBidi: untrusted text as it is shown, with Unicode's bidirectional controls made visible.
#pragma once

#include <QString>

namespace pulse {

/// neutraliseBidi replaces each bidirectional formatting character (U+061C, U+200E, U+200F,
/// U+202A–U+202E, U+2066–U+2069) by a visible "[U+202E]". Such a character in a label value, a log
/// line or a server's error message would otherwise reorder the text after it on screen ("Trojan
/// Source"): a firing alert could read as resolved, a path as another. Only what is shown changes;
/// stored and exported text stays byte-exact.
QString neutraliseBidi(QString text);

/// isBidiControl is true for the characters neutraliseBidi replaces.
bool isBidiControl(char16_t c);

} // namespace pulse
