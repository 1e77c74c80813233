// AlertTemplate: the subset of Prometheus's annotation templates (Go text/template) that alert rules
// use in practice — `{{ $labels.job }}`, `{{ $value }}`, pipelines into humanize*, printf, index.
#pragma once

#include "core/base/error.h"
#include "core/base/labels.h"

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace pulse {

/// AlertTemplate is compiled once, when rules load, so a typo is a config error, not a broken
/// notification at 3 a.m. Supported inside `{{ }}` (with `{{-`/`-}}` trimming):
///   operands   $value  .Value  $labels.NAME  .Labels.NAME  $externalLabels.NAME  "string"  42
///   functions  humanize humanize1024 humanizePercentage humanizeDuration printf index toUpper toLower
///   pipelines  {{ $value | humanize }}  {{ printf "%.2f" $value }}  {{ index $labels "le" }}
/// Anything else (if/range/define, comments) is "col N: ... is not supported".
class AlertTemplate {
public:
    /// compile parses `text`; errors read "col N: message" (1-based byte column).
    static Result<AlertTemplate> compile(std::string_view text);

    /// expand fills the template in. Expansion never fails: a value a function cannot use prints as
    /// Go would show the error inline ("<error: ...>") so the rest of the annotation still shows.
    std::string expand(const Labels &labels, double value) const;

    /// isPlain is true when the text has no actions (expand returns it unchanged).
    bool isPlain() const;

    struct Operand {
        enum class Kind { Value, Label, ExternalLabel, Labels, String, Number };
        Kind kind = Kind::Value;
        std::string text; ///< label name or string literal
        double number = 0;
    };
    struct Command {
        std::string function; ///< empty: the command is its single operand
        std::vector<Operand> args;
    };
    using Pipeline = std::vector<Command>;
    using Part = std::variant<std::string, Pipeline>;

private:
    std::vector<Part> m_parts;
};

} // namespace pulse
