// Parser for the Prometheus text exposition format 0.0.4 and OpenMetrics 1.0 text format.
//
// Two forms: a visitor-based core that hands out views (no allocation per sample once its scratch
// buffers are warm), and an owning convenience form for collectors and tests. A parse is
// all-or-nothing: the first syntax or semantic error fails it with "line N: what was expected".
#pragma once

#include "core/base/error.h"
#include "core/base/labels.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pulse {

enum class ExpositionFormat { PrometheusText, OpenMetrics };

/// MetricType is a family's declared type; Untyped is the text format's "untyped" and OpenMetrics' "unknown".
enum class MetricType { Untyped, Counter, Gauge, Histogram, GaugeHistogram, Summary, Info, StateSet };

/// DuplicateSeries says what a series that appears again without a timestamp does (an empty label
/// value counts as no label, so `up{path=""}` repeats `up`). Fail: the parse fails, naming both lines
/// (a linter's view). KeepFirst: the first sample stands, later ones are counted and not visited —
/// what a Prometheus scrape does, whose target stays up.
enum class DuplicateSeries { Fail, KeepFirst };

/// ParseLimits mirror Prometheus's sample_limit, label_limit, label_name_length_limit and
/// label_value_length_limit; 0 means unlimited. Going over a limit fails the whole parse, naming the
/// limit. labelLimit counts a sample's own labels, not its metric name; lengths are in bytes.
struct ParseLimits {
    std::size_t sampleLimit = 0;
    std::size_t labelLimit = 0;
    std::size_t labelNameLengthLimit = 0;
    std::size_t labelValueLengthLimit = 0;
    DuplicateSeries duplicates = DuplicateSeries::Fail;
    /// familyRules: OpenMetrics' rules for the samples of a family (value ranges, required labels,
    /// contiguous MetricPoints, histogram shape: OpenMetricsChecker). Off, OpenMetrics is read as
    /// promtool's backfill reads it — line grammar, metadata and families only — so a histogram
    /// written series by series (every `le` of one series over time, then the next) is accepted.
    bool familyRules = true;
};

struct ParseStats {
    std::size_t samples = 0; ///< every sample line, duplicates included (scrape_samples_scraped)
    std::size_t families = 0;
    std::size_t exemplars = 0;
    std::size_t duplicates = 0;          ///< samples not visited as repeats (DuplicateSeries::KeepFirst)
    std::size_t firstDuplicateLine = 0;  ///< 1-based line of the first of them; 0 without any
};

/// LabelView is one label of the sample being visited; both views die when the callback returns.
struct LabelView {
    std::string_view name;
    std::string_view value;
};

/// ExpositionVisitor receives a parse as it happens.
///
/// Contract:
///  - family() is called once for each metric family before its first sample, or when a family that has
///    only metadata ends. In the text format, where samples of an earlier family may come back after
///    another family, family() is called again before those samples.
///  - Every sample belongs to the family last passed to family().
///  - Labels are sorted by name and unescaped; names are unique.
///  - exemplar(), if any, follows the sample() it belongs to (OpenMetrics only).
///  - The parse may still fail after callbacks were made: on failure, discard what was received.
class ExpositionVisitor {
public:
    virtual ~ExpositionVisitor() = default;
    virtual void family(std::string_view /*name*/, MetricType /*type*/, std::string_view /*help*/,
                        std::string_view /*unit*/)
    {
    }
    /// wantsHelp: family() reads its help text. A visitor that ignores it returns false, and family()
    /// then gets an empty help: unescaping every HELP line of every scrape cost a few percent of it.
    virtual bool wantsHelp() const { return true; }
    virtual void sample(std::string_view name, const LabelView *labels, std::size_t count, double value,
                        std::optional<std::int64_t> timestampMs) = 0;
    virtual void exemplar(const LabelView * /*labels*/, std::size_t /*count*/, double /*value*/,
                          std::optional<std::int64_t> /*timestampMs*/)
    {
    }
};

class ExpositionReader;

/// ExpositionParser keeps its scratch buffers and hash tables between parses, so a collector that
/// scrapes the same target repeatedly should hold one. Not thread-safe; one parse at a time.
class ExpositionParser {
public:
    ExpositionParser();
    ~ExpositionParser();
    ExpositionParser(ExpositionParser &&) noexcept;
    ExpositionParser &operator=(ExpositionParser &&) noexcept;

    Result<ParseStats> parse(std::string_view text, ExpositionFormat format, ExpositionVisitor &visitor,
                             const ParseLimits &limits = {});

private:
    std::unique_ptr<ExpositionReader> m_reader;
};

/// parseExposition is ExpositionParser::parse with a parser of its own.
Result<ParseStats> parseExposition(std::string_view text, ExpositionFormat format, ExpositionVisitor &visitor,
                                   const ParseLimits &limits = {});

struct ParsedSample {
    std::string name;
    Labels labels;
    double value;
    std::optional<std::int64_t> timestampMs;
};

struct MetricFamily {
    std::string name;
    MetricType type;
    std::string help;
    std::string unit;
};

/// ParsedExposition lists families in first-seen order (one entry per name) and samples in input order.
struct ParsedExposition {
    std::vector<MetricFamily> families;
    std::vector<ParsedSample> samples;
};

/// parseExposition, owning form: copies everything out of the visitor callbacks.
Result<ParsedExposition> parseExposition(std::string_view text, ExpositionFormat format,
                                         const ParseLimits &limits = {});

/// formatFromContentType picks OpenMetrics for "application/openmetrics-text" (any version or
/// parameters, case-insensitive) and the text format for anything else, as Prometheus does.
ExpositionFormat formatFromContentType(std::string_view contentType);

std::string_view toString(MetricType type);

} // namespace pulse
