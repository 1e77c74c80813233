// Bidi neutralisation for everything the widgets show of untrusted text.
#include "widgets/display_text.h"

namespace pulse {

bool isBidiControl(char16_t c)
{
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

QString neutraliseBidi(QString text)
{
    qsizetype i = 0;
    while (i < text.size() && !isBidiControl(text.at(i).unicode()))
        ++i;
    if (i == text.size())
        return text; // the common case: no copy
    QString out = text.left(i);
    for (; i < text.size(); ++i) {
        const char16_t c = text.at(i).unicode();
        if (isBidiControl(c))
            out += QStringLiteral("[U+%1]").arg(QString::number(c, 16).toUpper().rightJustified(4, QLatin1Char('0')));
        else
            out += text.at(i);
    }
    return out;
}

} // namespace pulse
