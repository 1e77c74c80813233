// The sample names a metric family owns (see detail/family_names.h).
#include "core/exposition/detail/family_names.h"

#include <array>

namespace pulse::expo {

using namespace std::string_view_literals;

// The sample names a family of each type owns, as suffixes of the family name.
std::span<const std::string_view> sampleSuffixes(MetricType type, ExpositionFormat format)
{
    static constexpr std::array kBare = {""sv};
    static constexpr std::array kOmCounter = {"_total"sv, "_created"sv};
    static constexpr std::array kOmSummary = {""sv, "_count"sv, "_sum"sv, "_created"sv};
    static constexpr std::array kOmHistogram = {"_bucket"sv, "_count"sv, "_sum"sv, "_created"sv};
    static constexpr std::array kOmGaugeHistogram = {"_bucket"sv, "_gcount"sv, "_gsum"sv};
    static constexpr std::array kOmInfo = {"_info"sv};
    static constexpr std::array kTextSummary = {""sv, "_sum"sv, "_count"sv};
    static constexpr std::array kTextHistogram = {"_bucket"sv, "_sum"sv, "_count"sv};
    if (format == ExpositionFormat::PrometheusText) {
        if (type == MetricType::Summary)
            return kTextSummary;
        if (type == MetricType::Histogram)
            return kTextHistogram;
        return kBare;
    }
    switch (type) {
    case MetricType::Counter: return kOmCounter;
    case MetricType::Summary: return kOmSummary;
    case MetricType::Histogram: return kOmHistogram;
    case MetricType::GaugeHistogram: return kOmGaugeHistogram;
    case MetricType::Info: return kOmInfo;
    default: return kBare;
    }
}

std::span<const std::string_view> claimedSuffixes(MetricType type)
{
    static constexpr std::array kCounter = {""sv, "_total"sv, "_created"sv};
    static constexpr std::array kHistogram = {""sv, "_bucket"sv, "_count"sv, "_sum"sv, "_created"sv};
    static constexpr std::array kGaugeHistogram = {""sv, "_bucket"sv, "_gcount"sv, "_gsum"sv};
    static constexpr std::array kInfo = {""sv, "_info"sv};
    switch (type) {
    case MetricType::Counter: return kCounter;
    case MetricType::Histogram: return kHistogram;
    case MetricType::GaugeHistogram: return kGaugeHistogram;
    case MetricType::Info: return kInfo;
    default: return sampleSuffixes(type, ExpositionFormat::OpenMetrics);
    }
}

std::string quoted(std::string_view s)
{
    // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, a false positive) about "\"" + string.
    std::string out = "\"";
    out += s;
    out += '"';
    return out;
}

} // namespace pulse::expo
