// goPrintf: the printf of alert templates (`{{ printf "%.2f" $value }}`), with Go's verbs and defaults.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace pulse {

/// PrintfArg is one argument: its number when it has one (a value, or text that reads as a number),
/// and its text as the template would print it.
struct PrintfArg {
    std::optional<double> number;
    std::string text;
};

/// goPrintf formats %s %v %d %f %F %e %E %g %G %q and %% with flags (- + space 0), width and precision,
/// as Go's fmt does for these verbs; a verb that does not fit its argument prints Go's "%!v(arg)",
/// a missing argument "%!v(MISSING)".
std::string goPrintf(std::string_view format, std::span<const PrintfArg> args);

} // namespace pulse
