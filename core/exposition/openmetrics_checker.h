// OpenMetricsChecker: the rules OpenMetrics 1.0 puts on the samples of one metric family, beyond the
// line grammar: value ranges per type, required labels (le, quantile, the stateset label), exemplar
// placement, contiguous MetricPoint groups with non-decreasing timestamps, and the shape of each
// histogram point (ordered buckets ending in +Inf, _count equal to the +Inf bucket, _sum with _count).
//
// Invariants while a family is open:
//  1. m_groupKey is the key of the group of the last sample; m_seenGroups holds one line offset per
//     group seen in this family, so a group that comes back after another one is found.
//  2. m_point describes the histogram point the last sample belonged to; it is checked as a whole when
//     the next sample starts another point, and by endFamily().
#pragma once

#include "core/base/error.h"
#include "core/base/hash_index.h"
#include "core/exposition/exposition_lexer.h"
#include "core/exposition/exposition_parser.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace pulse::expo {

class OpenMetricsChecker {
public:
    /// reset prepares for a new exposition; text is the whole input, for looking at earlier lines again.
    void reset(std::string_view text);

    /// beginFamily starts checking a family at its first sample; its metadata is final by then.
    void beginFamily(std::string_view name, MetricType type);

    /// checkSample checks one sample of the open family; the caller has made sure the sample's name
    /// belongs to it. lineStart is the offset of the sample's line in the text.
    Result<void> checkSample(const SampleLine &sample, std::size_t lineStart, std::size_t lineNumber);

    /// endFamily runs the checks that need a complete histogram point and closes the family.
    Result<void> endFamily();

private:
    enum class Suffix { None, Total, Created, Bucket, Count, Sum, GCount, GSum, Info };

    struct HistogramPoint {
        bool open = false;
        bool hasTimestamp = false;
        double timestamp = 0;
        bool hasBucket = false;
        double lastLe = 0;
        std::string_view lastLeText;
        double lastBucketValue = 0;
        bool hasCount = false;
        double count = 0;
        bool hasSum = false;
        bool hasGsum = false;
        bool negativeGsum = false;
        bool negativeBuckets = false;
        std::size_t lastLine = 0;
    };

    Suffix suffixOf(std::string_view sampleName) const;
    Result<void> checkValue(const SampleLine &sample, Suffix suffix, std::size_t lineNumber);
    /// checkGroup returns whether the sample starts a new group.
    Result<bool> checkGroup(const SampleLine &sample, Suffix suffix, std::size_t lineStart, std::size_t lineNumber);
    Result<void> checkHistogramSample(const SampleLine &sample, Suffix suffix, bool newGroup, std::size_t lineNumber);
    Result<void> finishPoint();
    void appendGroupKey(const SampleLine &sample, Suffix suffix, std::string &out) const;
    bool sameGroupAsLine(std::size_t lineStart);

    std::string_view m_text;
    std::string_view m_name;
    MetricType m_type = MetricType::Untyped;
    bool m_open = false;

    std::string m_groupKey;
    std::string m_candidateKey;
    std::string m_verifyKey;
    bool m_hasGroup = false;
    bool m_groupHasTimestamp = false;
    double m_groupTimestamp = 0;
    HashIndex m_seenGroups;
    LineScratch m_verifyScratch;
    SampleLine m_verifyLine;

    HistogramPoint m_point;
    double m_bucketBound = 0; ///< the "le" of the last _bucket sample, as checkValue parsed it
};

} // namespace pulse::expo
