// histogram_quantile() over classic histograms: buckets are grouped by their labels without `le`,
// sorted, equal bounds merged, counts forced monotonic, then the quantile is interpolated linearly
// inside its bucket (Prometheus's bucketQuantile).
#include "core/promql/operations.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <unordered_map>

namespace pulse::promql {
namespace {

struct Bucket {
    double upperBound;
    double count;
};

constexpr double kInf = std::numeric_limits<double>::infinity();

// parseBound reads an `le` value as Go's strconv.ParseFloat would (including "+Inf").
std::optional<double> parseBound(std::string_view text)
{
    if (text.empty())
        return std::nullopt;
    std::string s(text);
    std::string lowered;
    for (char c : s)
        lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lowered == "+inf" || lowered == "inf" || lowered == "+infinity" || lowered == "infinity")
        return kInf;
    if (lowered == "-inf" || lowered == "-infinity")
        return -kInf;
    if (lowered == "nan")
        return std::numeric_limits<double>::quiet_NaN();
    char *end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size() || lowered.find("inf") != std::string::npos || lowered.find("nan") != std::string::npos)
        return std::nullopt;
    return v;
}

double bucketQuantile(double q, std::vector<Bucket> buckets)
{
    if (std::isnan(q))
        return std::numeric_limits<double>::quiet_NaN();
    if (q < 0)
        return -kInf;
    if (q > 1)
        return kInf;
    std::stable_sort(buckets.begin(), buckets.end(),
                     [](const Bucket &a, const Bucket &b) { return a.upperBound < b.upperBound; });
    if (!std::isinf(buckets.back().upperBound) || buckets.back().upperBound < 0)
        return std::numeric_limits<double>::quiet_NaN();
    // Merge buckets with the same bound (e.g. le="0.2" and le="2e-1").
    std::vector<Bucket> merged;
    for (const auto &b : buckets) {
        if (!merged.empty() && merged.back().upperBound == b.upperBound)
            merged.back().count += b.count;
        else
            merged.push_back(b);
    }
    // Counts of higher buckets can lag behind lower ones when scrapes race; never let them drop.
    double max = -kInf;
    for (auto &b : merged) {
        if (b.count > max)
            max = b.count;
        else if (b.count < max)
            b.count = max;
    }
    if (merged.size() < 2)
        return std::numeric_limits<double>::quiet_NaN();
    const double observations = merged.back().count;
    if (observations == 0)
        return std::numeric_limits<double>::quiet_NaN();
    double rank = q * observations;
    std::size_t b = 0;
    while (b < merged.size() - 1 && !(merged[b].count >= rank))
        ++b;
    if (b == merged.size() - 1)
        return merged[merged.size() - 2].upperBound;
    if (b == 0 && merged[0].upperBound <= 0)
        return merged[0].upperBound;
    double bucketStart = 0;
    const double bucketEnd = merged[b].upperBound;
    double count = merged[b].count;
    if (b > 0) {
        bucketStart = merged[b - 1].upperBound;
        count -= merged[b - 1].count;
        rank -= merged[b - 1].count;
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

} // namespace

InstantVector histogramQuantile(double q, const InstantVector &input, std::int64_t t)
{
    struct Histogram {
        Labels labels;
        std::vector<Bucket> buckets;
    };
    std::vector<Histogram> histograms;
    std::unordered_map<std::string, std::size_t> index;
    for (const auto &e : input) {
        const auto bound = parseBound(e.labels.value("le"));
        if (!bound)
            continue;
        Labels key = e.labels;
        key.remove("le");
        // The grouping key keeps the metric name, so two histograms that differ only by name stay
        // apart (and then collide in the output, which is an error).
        auto [it, inserted] = index.emplace(signatureOf(key), histograms.size());
        if (inserted) {
            key.remove(kMetricNameLabel);
            histograms.push_back(Histogram{std::move(key), {}});
        }
        histograms[it->second].buckets.push_back(Bucket{*bound, e.value});
    }
    InstantVector out;
    for (auto &h : histograms)
        out.push_back(Element{std::move(h.labels), bucketQuantile(q, std::move(h.buckets)), t});
    return out;
}

} // namespace pulse::promql
