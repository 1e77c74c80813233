// Line grammar of the exposition formats: one sample line or one comment line at a time.
//
// OpenMetrics is strict (single spaces, no trailing comma, exemplars allowed); the text format follows
// Prometheus's lexer (blanks between any tokens, trailing comma in label sets, integer-ms timestamps,
// no exemplars). Errors come back without the "line N: " prefix; the reader adds it.
#pragma once

#include "core/base/error.h"
#include "core/exposition/exposition_parser.h"
#include "core/exposition/exposition_strings.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pulse::expo {

/// LineScratch holds the storage a lexed line's views may point into; reused from line to line.
struct LineScratch {
    std::vector<LabelView> labels;
    std::vector<LabelView> exemplarLabels;
    std::string unescaped;         ///< unescaped label values; sized to the line before its first use
    std::size_t unescapedSize = 0; ///< bytes of it the line's values use
};

/// SampleLine is one lexed sample; its views point into the line or into its LineScratch.
struct SampleLine {
    std::string_view name;
    bool repeatsName = false;          ///< name is the previousName given to lexSampleLine
    std::span<const LabelView> labels; ///< sorted by name, names unique
    double value = 0;
    std::string_view valueText;
    bool hasTimestamp = false;
    double timestampSeconds = 0; ///< as written in OpenMetrics; ms / 1000 in the text format
    std::int64_t timestampMs = 0;
    std::string_view timestampText;
    bool hasExemplar = false;
    std::span<const LabelView> exemplarLabels;
    double exemplarValue = 0;
    bool exemplarHasTimestamp = false;
    std::int64_t exemplarTimestampMs = 0;
};

enum class MetadataKind { Help, Type, Unit };

/// MetadataLine is a "# HELP", "# TYPE" or "# UNIT" line. For HELP, text is still escaped.
struct MetadataLine {
    MetadataKind kind;
    std::string_view name;
    std::string_view text;
};

/// lexSampleLine parses a line (without its '\n') that does not start with '#'. previousName, if not
/// empty, must be a valid metric name, usually the previous sample's: exporters repeat a name over
/// many lines, and checking for it is cheaper than scanning the name byte by byte.
Result<void> lexSampleLine(std::string_view line, ExpositionFormat format, LineScratch &scratch, SampleLine &out,
                           std::string_view previousName = {});

/// lexCommentLine parses a line starting with '#' other than OpenMetrics' "# EOF". It returns nullopt
/// for a text-format comment, which carries no data.
Result<std::optional<MetadataLine>> lexCommentLine(std::string_view line, ExpositionFormat format);

} // namespace pulse::expo
