// SamplePrinter: renders parsed samples as JSON lines, the output of `parse-metrics` and `scrape`.
#pragma once

#include "core/exposition/exposition_parser.h"

#include <iosfwd>
#include <string>
#include <string_view>

namespace pulse::cli {

/// SamplePrinter is an ExpositionVisitor that appends one line per sample to `out`:
///   {"name":"...","labels":{...},"value":1.5,"timestamp_ms":123}
/// NaN and infinities are written as the strings "NaN", "+Inf", "-Inf" (JSON has no literal for
/// them); timestamp_ms only when the sample has one. The caller prints `out` only after the parse
/// succeeded, because a parse is all-or-nothing.
class SamplePrinter final : public ExpositionVisitor {
public:
    explicit SamplePrinter(std::string &out) : m_out(out) {}

    void sample(std::string_view name, const LabelView *labels, std::size_t count, double value,
                std::optional<std::int64_t> timestampMs) override;

private:
    std::string &m_out;
};

/// SampleCounter lets a parse run without output; the parse's ParseStats has the counts.
class SampleCounter final : public ExpositionVisitor {
public:
    void sample(std::string_view, const LabelView *, std::size_t, double, std::optional<std::int64_t>) override {}
};

/// printExposition parses `text` as a scrape does and writes one JSON line per sample (or, with
/// `count`, the line "N samples, M families", N counting every sample line as scrape_samples_scraped
/// does) to `out`; a parse error goes to `err` as "<errorPrefix>: line N: ...". A series repeated
/// without a timestamp keeps its first sample; "K duplicate samples (...), the first on line L" follows
/// the count on a second line (on `err` without `count`).
/// Returns the command's exit code. Nothing is written to `out` unless the whole parse succeeded.
int printExposition(std::string_view text, ExpositionFormat format, const ParseLimits &limits, bool count,
                    std::string_view errorPrefix, std::ostream &out, std::ostream &err);

} // namespace pulse::cli
