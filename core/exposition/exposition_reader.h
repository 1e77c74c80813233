// ExpositionReader: the line loop behind ExpositionParser. It splits the input into lines, sorts them
// into metadata and samples, tracks metric families, finds duplicate series, applies the limits and
// calls the visitor; OpenMetricsChecker adds the per-family rules of OpenMetrics.
//
// Family life cycle (one family is current at a time):
//
//   (none) --metadata or sample of a new name: startFamily()--> current
//   current --metadata of the same name, before its samples: readMetadata()--> current
//   current --sample whose name belongs to it: readSample()--> current
//   current --anything of another family, or "# EOF": endFamily()--> (none)
//
// In OpenMetrics a family that has ended can never come back (its names are claimed, so a second
// start is reported as interleaving or a name clash). In the text format, samples may return to an
// earlier family, which then becomes current again and is announced to the visitor again.
#pragma once

#include "core/base/error.h"
#include "core/base/hash_index.h"
#include "core/exposition/exposition_lexer.h"
#include "core/exposition/exposition_parser.h"
#include "core/exposition/exposition_series_set.h"
#include "core/exposition/openmetrics_checker.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pulse {

class ExpositionReader {
public:
    Result<ParseStats> read(std::string_view text, ExpositionFormat format, ExpositionVisitor &visitor,
                            const ParseLimits &limits);

private:
    struct Family {
        std::string_view name;
        MetricType type = MetricType::Untyped;
        std::string_view help; ///< still escaped, as written
        std::string_view unit;
        bool hasType = false;
        bool hasHelp = false;
        bool hasUnit = false;
        bool hasSamples = false;
        bool announced = false;
    };

    /// NameClaim: an ended OpenMetrics family owns its name plus the suffixed names of its type.
    struct NameClaim {
        std::string_view family;
        std::string_view suffix;
    };

    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

    void reset(std::string_view text, ExpositionFormat format, ExpositionVisitor &visitor, const ParseLimits &limits);
    Result<void> readLine(std::string_view line, std::size_t lineStart);
    Result<void> readComment(std::string_view line);
    Result<void> readMetadata(const expo::MetadataLine &meta);
    Result<void> readSample(std::string_view line, std::size_t lineStart);
    Result<void> enterFamilyOf(std::string_view sampleName);
    Result<void> startFamily(std::string_view name);
    Result<void> endFamily();
    std::size_t findTextFamily(std::string_view sampleName);
    bool belongs(const Family &family, std::string_view sampleName) const;
    void announce(std::size_t index);
    Result<void> checkNameClash(const Family &family);
    void claimNames(const Family &family);
    Result<void> checkUnit(const Family &family) const;
    Result<bool> checkDuplicate(std::size_t lineStart);
    Result<void> checkLimits() const;
    std::unexpected<Error> failHere(std::string_view message) const;

    std::string_view m_text;
    ExpositionFormat m_format = ExpositionFormat::PrometheusText;
    ExpositionVisitor *m_visitor = nullptr;
    ParseLimits m_limits;
    ParseStats m_stats;
    std::size_t m_lineNumber = 0;
    bool m_sawEof = false;

    std::vector<Family> m_families;
    std::size_t m_distinctFamilies = 0; ///< ParseStats::families: one per name
    std::size_t m_current = kNone;
    std::size_t m_lastAnnounced = kNone;
    expo::HashIndex m_familyByName; ///< text format: the latest family of each name
    std::vector<NameClaim> m_claims;
    expo::HashIndex m_claimByName;
    std::string m_nameScratch;
    std::string m_help;

    expo::LineScratch m_scratch;
    expo::SampleLine m_sample;
    expo::LineScratch m_verifyScratch;
    expo::SampleLine m_verifyLine;
    expo::SeriesSet m_series;             ///< series without a timestamp, to the offset of their first line
    std::size_t m_seriesTable = 0;        ///< m_series' table for the name of the last sample
    std::string_view m_previousName;      ///< of the last sample, so the lexer can check for it first
    std::size_t m_previousFamily = kNone; ///< of the last sample; kNone after metadata or a family's end

    expo::OpenMetricsChecker m_checker;
};

} // namespace pulse
