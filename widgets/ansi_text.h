// AnsiText: a log line's ANSI escape sequences (colours from a terminal-minded program) taken out
// of its text and kept as colour spans, so the log view shows colours, never raw escapes.
#pragma once

#include <QColor>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pulse {

/// AnsiText is text without its escape sequences, and the foreground colours SGR sequences gave
/// its parts ([start, start + length) in bytes of text).
struct AnsiText {
    struct Span {
        std::size_t start = 0;
        std::size_t length = 0;
        QColor color;
    };
    std::string text;
    std::vector<Span> spans;
};

/// stripAnsi removes CSI sequences (ESC [ … final byte), OSC sequences (ESC ] … BEL or ESC \) and
/// other two-byte escapes; SGR foreground colours (30–37, 90–97, 38;5;N, 38;2;R;G;B; 39 and 0
/// reset) become spans. Text without an ESC byte comes back unchanged, with no spans.
AnsiText stripAnsi(std::string_view bytes);

} // namespace pulse
