// OpenMetricsChecker: per-family sample rules of OpenMetrics 1.0 (see openmetrics_checker.h).
#include "core/exposition/openmetrics_checker.h"

#include "core/exposition/exposition_number.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

namespace pulse::expo {

namespace {

const LabelView *findLabel(std::span<const LabelView> labels, std::string_view name)
{
    for (const LabelView &l : labels) {
        if (l.name == name)
            return &l;
    }
    return nullptr;
}

std::string formatNumber(double value)
{
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

std::string quoted(std::string_view s)
{
    // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, a false positive) about "\"" + string.
    std::string out = "\"";
    out += s;
    out += '"';
    return out;
}

} // namespace

void OpenMetricsChecker::reset(std::string_view text)
{
    m_text = text;
    m_open = false;
    m_hasGroup = false;
    m_seenGroups.clear();
    m_point = HistogramPoint{};
}

void OpenMetricsChecker::beginFamily(std::string_view name, MetricType type)
{
    m_name = name;
    m_type = type;
    m_open = true;
    m_hasGroup = false;
    m_seenGroups.clear();
    m_point = HistogramPoint{};
}

OpenMetricsChecker::Suffix OpenMetricsChecker::suffixOf(std::string_view sampleName) const
{
    const std::string_view rest = sampleName.substr(std::min(m_name.size(), sampleName.size()));
    if (rest.empty())
        return Suffix::None;
    static constexpr std::pair<std::string_view, Suffix> kSuffixes[] = {
        {"_total", Suffix::Total}, {"_created", Suffix::Created}, {"_bucket", Suffix::Bucket},
        {"_count", Suffix::Count}, {"_sum", Suffix::Sum},         {"_gcount", Suffix::GCount},
        {"_gsum", Suffix::GSum},   {"_info", Suffix::Info},
    };
    for (const auto &[text, suffix] : kSuffixes) {
        if (rest == text)
            return suffix;
    }
    return Suffix::None;
}

Result<void> OpenMetricsChecker::checkSample(const SampleLine &sample, std::size_t lineStart, std::size_t lineNumber)
{
    const Suffix suffix = suffixOf(sample.name);
    if (auto r = checkValue(sample, suffix, lineNumber); !r)
        return r;
    const bool histogram = m_type == MetricType::Histogram || m_type == MetricType::GaugeHistogram;
    if (sample.hasExemplar) {
        const bool allowed = (m_type == MetricType::Counter && suffix == Suffix::Total)
                             || (histogram && suffix == Suffix::Bucket);
        if (!allowed) {
            return failAt(lineNumber, "exemplars are only allowed on counter _total and histogram _bucket samples; "
                                          + std::string(sample.name) + " belongs to " + std::string(toString(m_type))
                                          + " family " + quoted(m_name));
        }
    }
    auto newGroup = checkGroup(sample, suffix, lineStart, lineNumber);
    if (!newGroup)
        return std::unexpected(newGroup.error());
    if (histogram)
        return checkHistogramSample(sample, suffix, *newGroup, lineNumber);
    return {};
}

Result<void> OpenMetricsChecker::checkValue(const SampleLine &sample, Suffix suffix, std::size_t lineNumber)
{
    const double v = sample.value;
    auto failValue = [&](std::string_view rule) {
        return failAt(lineNumber, std::string(sample.name) + " " + std::string(rule) + ", got " + std::string(sample.valueText));
    };
    const bool negativeOrNaN = std::isnan(v) || v < 0;
    const bool integral = std::isfinite(v) && std::floor(v) == v;
    switch (m_type) {
    case MetricType::Counter:
        if (suffix == Suffix::Total && negativeOrNaN)
            return failValue("is a counter value and must not be negative or NaN");
        break;
    case MetricType::Histogram:
    case MetricType::GaugeHistogram:
        if (suffix == Suffix::Bucket) {
            if (negativeOrNaN || !integral)
                return failValue("is a bucket count and must be a non-negative integer");
            const LabelView *le = findLabel(sample.labels, "le");
            if (!le)
                return failAt(lineNumber, std::string(sample.name) + " has no \"le\" label");
            const auto bound = parseSampleValue(le->value);
            if (!bound || std::isnan(*bound))
                return failAt(lineNumber, "invalid \"le\" label value " + quoteForMessage(le->value));
            if (std::isinf(*bound) && *bound > 0 && le->value != "+Inf")
                return failAt(lineNumber, "write the \"le\" label value " + quoteForMessage(le->value) + " as \"+Inf\"");
            m_bucketBound = *bound;
        } else if (suffix == Suffix::Count || suffix == Suffix::GCount) {
            if (negativeOrNaN || !integral)
                return failValue("is a count and must be a non-negative integer");
        } else if (suffix == Suffix::Sum && negativeOrNaN) {
            return failValue("is a sum of observations and must not be negative or NaN");
        } else if (suffix == Suffix::GSum && std::isnan(v)) {
            return failValue("must not be NaN");
        }
        break;
    case MetricType::Summary:
        if (suffix == Suffix::None) {
            const LabelView *q = findLabel(sample.labels, "quantile");
            if (!q)
                return failAt(lineNumber, "summary sample " + std::string(sample.name) + " has no \"quantile\" label");
            const auto quantile = parseSampleValue(q->value);
            if (!quantile || !(*quantile >= 0 && *quantile <= 1))
                return failAt(lineNumber, "invalid quantile " + quoteForMessage(q->value) + "; quantiles are numbers from 0 to 1");
            if (v < 0)
                return failValue("is a quantile value and must not be negative");
        } else if (suffix == Suffix::Count && (negativeOrNaN || !integral)) {
            return failValue("is a count and must be a non-negative integer");
        } else if (suffix == Suffix::Sum && negativeOrNaN) {
            return failValue("is a sum of observations and must not be negative or NaN");
        }
        break;
    case MetricType::StateSet:
        if (!findLabel(sample.labels, m_name))
            return failAt(lineNumber, "stateset sample " + std::string(sample.name) + " has no label \"" + std::string(m_name) + "\" naming its state");
        if (v != 0 && v != 1)
            return failValue("is a stateset value and must be 0 or 1");
        break;
    case MetricType::Info:
        if (v != 1)
            return failValue("is an info value and must be 1");
        break;
    case MetricType::Gauge:
    case MetricType::Untyped:
        break;
    }
    return {};
}

void OpenMetricsChecker::appendGroupKey(const SampleLine &sample, Suffix suffix, std::string &out) const
{
    // A group is a MetricPoint's label set: the sample's labels minus the one that tells the samples of
    // one point apart. Info families form a single group, as the reference parser treats them.
    if (m_type == MetricType::Info)
        return;
    std::string_view skip;
    if (m_type == MetricType::Summary && suffix == Suffix::None)
        skip = "quantile";
    else if (m_type == MetricType::StateSet)
        skip = m_name;
    else if ((m_type == MetricType::Histogram || m_type == MetricType::GaugeHistogram) && suffix == Suffix::Bucket)
        skip = "le";
    for (const LabelView &l : sample.labels) {
        if (l.name == skip)
            continue;
        appendKeyPart(out, l.name);
        appendKeyPart(out, l.value);
    }
}

bool OpenMetricsChecker::sameGroupAsLine(std::size_t lineStart)
{
    std::size_t end = m_text.find('\n', lineStart);
    if (end == std::string_view::npos)
        end = m_text.size();
    // The line was accepted before, so it lexes again.
    if (!lexSampleLine(m_text.substr(lineStart, end - lineStart), ExpositionFormat::OpenMetrics, m_verifyScratch, m_verifyLine))
        return false;
    m_verifyKey.clear();
    appendGroupKey(m_verifyLine, suffixOf(m_verifyLine.name), m_verifyKey);
    return m_verifyKey == m_candidateKey;
}

Result<bool> OpenMetricsChecker::checkGroup(const SampleLine &sample, Suffix suffix, std::size_t lineStart,
                                            std::size_t lineNumber)
{
    m_candidateKey.clear();
    appendGroupKey(sample, suffix, m_candidateKey);
    if (m_hasGroup && m_candidateKey == m_groupKey) {
        if (sample.hasTimestamp != m_groupHasTimestamp) {
            return failAt(lineNumber, "timestamps must be on all samples of a MetricPoint of \"" + std::string(m_name)
                                          + "\" or on none");
        }
        if (sample.hasTimestamp && sample.timestampSeconds < m_groupTimestamp && m_type != MetricType::Info) {
            return failAt(lineNumber, "timestamp " + std::string(sample.timestampText) + " of " + std::string(sample.name)
                                          + " goes backwards; timestamps of a series must not decrease");
        }
        m_groupTimestamp = sample.timestampSeconds;
        return false;
    }
    const std::uint64_t hash = hashKey(m_candidateKey);
    const auto first = m_seenGroups.findOrInsert(hash, static_cast<std::uint32_t>(lineStart), [&](std::size_t earlier) { return sameGroupAsLine(earlier); });
    if (first) {
        return failAt(lineNumber, "samples of " + renderSeries(m_name, sample.labels)
                                      + " are not together: this MetricPoint already appeared on line "
                                      + std::to_string(lineNumberAt(m_text, *first)) + " before other samples");
    }
    m_groupKey.swap(m_candidateKey);
    m_hasGroup = true;
    m_groupHasTimestamp = sample.hasTimestamp;
    m_groupTimestamp = sample.timestampSeconds;
    return true;
}

Result<void> OpenMetricsChecker::checkHistogramSample(const SampleLine &sample, Suffix suffix, bool newGroup,
                                                      std::size_t lineNumber)
{
    // A histogram point is one group at one timestamp.
    const bool samePoint = m_point.open && !newGroup && sample.hasTimestamp == m_point.hasTimestamp
                           && (!sample.hasTimestamp || sample.timestampSeconds == m_point.timestamp);
    if (!samePoint) {
        if (m_point.open) {
            if (auto r = finishPoint(); !r)
                return r;
        }
        m_point = HistogramPoint{};
        m_point.open = true;
        m_point.hasTimestamp = sample.hasTimestamp;
        m_point.timestamp = sample.timestampSeconds;
    }
    m_point.lastLine = lineNumber;
    const double v = sample.value;
    switch (suffix) {
    case Suffix::Bucket: {
        const LabelView *le = findLabel(sample.labels, "le"); // checkValue made sure it is there and valid
        const double bound = m_bucketBound;
        if (m_point.hasBucket && bound <= m_point.lastLe) {
            return failAt(lineNumber, "histogram buckets out of order: le=" + quoted(le->value) + " after le="
                                          + quoted(m_point.lastLeText) + "; buckets must be in increasing le order");
        }
        if (m_point.hasBucket && v < m_point.lastBucketValue) {
            return failAt(lineNumber, "histogram bucket counts must not decrease: le=" + quoted(le->value) + " counts "
                                          + std::string(sample.valueText) + ", less than le=" + quoted(m_point.lastLeText));
        }
        m_point.hasBucket = true;
        m_point.lastLe = bound;
        m_point.lastLeText = le->value;
        m_point.lastBucketValue = v;
        m_point.negativeBuckets = m_point.negativeBuckets || bound < 0;
        break;
    }
    case Suffix::Count:
    case Suffix::GCount:
        m_point.hasCount = true;
        m_point.count = v;
        break;
    case Suffix::Sum:
        m_point.hasSum = true;
        break;
    case Suffix::GSum:
        m_point.hasGsum = true;
        m_point.negativeGsum = v < 0;
        break;
    default:
        break;
    }
    return {};
}

Result<void> OpenMetricsChecker::finishPoint()
{
    m_point.open = false;
    const std::string name(m_name);
    const bool gauge = m_type == MetricType::GaugeHistogram;
    const std::string count = name + (gauge ? "_gcount" : "_count");
    const std::size_t line = m_point.lastLine;
    if (!m_point.hasBucket || m_point.lastLe != std::numeric_limits<double>::infinity())
        return failAt(line, "histogram \"" + name + "\" has no bucket with le=\"+Inf\"; its last bucket must be +Inf");
    if (m_point.hasCount && m_point.count != m_point.lastBucketValue)
        return failAt(line, count + " is " + formatNumber(m_point.count) + " but the +Inf bucket of \"" + name
                                + "\" counts " + formatNumber(m_point.lastBucketValue) + "; they must be equal");
    if (m_point.hasSum && !m_point.hasCount)
        return failAt(line, name + "_sum needs " + count + " next to it");
    if (m_point.hasGsum && !m_point.hasCount)
        return failAt(line, name + "_gsum needs " + count + " next to it");
    if (m_point.hasCount && !m_point.hasSum && !m_point.hasGsum)
        return failAt(line, count + " needs " + name + (gauge ? "_gsum" : "_sum") + " next to it");
    if (m_point.negativeBuckets && m_point.hasSum)
        return failAt(line, name + "_sum is not allowed when a bucket has a negative le");
    if (m_point.negativeGsum && !m_point.negativeBuckets)
        return failAt(line, name + "_gsum is negative although no bucket has a negative le");
    return {};
}

Result<void> OpenMetricsChecker::endFamily()
{
    if (!m_open)
        return {};
    m_open = false;
    m_hasGroup = false;
    m_seenGroups.clear();
    if (m_point.open)
        return finishPoint();
    return {};
}

} // namespace pulse::expo
