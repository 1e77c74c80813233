// String helpers of the exposition parser: escapes, UTF-8 validation and the rendering of input in
// error messages.
#pragma once

#include "core/base/error.h"
#include "core/exposition/exposition_parser.h"

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace pulse::expo {

/// unescapeHelp resolves a HELP text's escapes into out: \\ and \n in both formats, \" in OpenMetrics.
/// Other backslashes stay as written, as Prometheus and the OpenMetrics reference parser keep them.
void unescapeHelp(std::string_view raw, ExpositionFormat format, std::string &out);

bool isValidUtf8(std::string_view bytes);

/// quoteForMessage renders input for an error message: quoted, non-printable bytes as \xNN, long
/// input cut short, so a message never carries raw control bytes or broken UTF-8.
std::string quoteForMessage(std::string_view text);

/// renderSeries renders name{a="x",b="y"} for messages.
std::string renderSeries(std::string_view name, std::span<const LabelView> labels);

/// lineNumberAt returns the 1-based number of the line containing offset.
std::size_t lineNumberAt(std::string_view text, std::size_t offset);

/// failAt makes the reader's error: "line N: message".
std::unexpected<Error> failAt(std::size_t lineNumber, std::string_view message);

} // namespace pulse::expo
