// libFuzzer target for the exposition parser: every input is parsed as Prometheus text 0.0.4 and as
// OpenMetrics 1.0. Besides "never crashes, never trips ASan/UBSan", a parse must keep the promises its
// header makes; a broken promise aborts with a message, which libFuzzer reports as a crash.
//
// Invariants checked for each format:
//  1. An error reads "line N: ..." with N >= 1.
//  2. On success the visitor saw exactly ParseStats::samples samples and ParseStats::exemplars
//     exemplars; ParseStats::families is the number of distinct family names.
//  3. Every sample's labels are sorted by name, unique, non-empty names, and their values are valid
//     UTF-8; every sample belongs to a family announced before it.
//  4. A parser reused across inputs gives the same answer as a fresh one (its scratch state leaks
//     nothing), and the owning form agrees with the visitor form.
//  5. sample_limit and label_limit are exact: a limit equal to what the input has passes, one below
//     fails.
#include "core/exposition/exposition_parser.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

namespace {

[[noreturn]] void violated(const char *what, pulse::ExpositionFormat format)
{
    std::fprintf(stderr, "invariant violated (%s): %s\n",
                 format == pulse::ExpositionFormat::OpenMetrics ? "OpenMetrics" : "text", what);
    std::abort();
}

bool validUtf8(std::string_view s)
{
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t extra = 0;
        unsigned char low = 0x80;
        unsigned char high = 0xBF;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            low = c == 0xE0 ? 0xA0 : 0x80;
            high = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            low = c == 0xF0 ? 0x90 : 0x80;
            high = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            return false;
        }
        if (s.size() - i <= extra)
            return false;
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto b = static_cast<unsigned char>(s[i + k]);
            if (b < (k == 1 ? low : 0x80u) || b > (k == 1 ? high : 0xBFu))
                return false;
        }
        i += extra + 1;
    }
    return true;
}

// CheckingVisitor counts what the parser hands out and checks the per-sample contract as it goes.
class CheckingVisitor final : public pulse::ExpositionVisitor {
public:
    explicit CheckingVisitor(pulse::ExpositionFormat format) : m_format(format) {}

    void family(std::string_view name, pulse::MetricType, std::string_view, std::string_view) override
    {
        m_familyNames.emplace(name);
        m_haveFamily = true;
    }

    void sample(std::string_view name, const pulse::LabelView *labels, std::size_t count, double,
                std::optional<std::int64_t>) override
    {
        if (!m_haveFamily)
            violated("a sample came before any family()", m_format);
        if (name.empty())
            violated("a sample with an empty name", m_format);
        for (std::size_t i = 0; i < count; ++i) {
            if (labels[i].name.empty())
                violated("an empty label name", m_format);
            if (i > 0 && !(labels[i - 1].name < labels[i].name))
                violated("labels not sorted by name or not unique", m_format);
            if (!validUtf8(labels[i].value))
                violated("a label value that is not valid UTF-8", m_format);
        }
        m_maxLabels = std::max(m_maxLabels, count);
        ++m_samples;
    }

    void exemplar(const pulse::LabelView *, std::size_t, double, std::optional<std::int64_t>) override
    {
        if (m_samples == 0)
            violated("an exemplar before any sample", m_format);
        ++m_exemplars;
    }

    std::size_t samples() const { return m_samples; }
    std::size_t exemplars() const { return m_exemplars; }
    std::size_t families() const { return m_familyNames.size(); }
    std::size_t maxLabels() const { return m_maxLabels; }

private:
    pulse::ExpositionFormat m_format;
    std::set<std::string, std::less<>> m_familyNames;
    bool m_haveFamily = false;
    std::size_t m_samples = 0;
    std::size_t m_exemplars = 0;
    std::size_t m_maxLabels = 0;
};

// CountingVisitor only counts, for the repeated parses of invariants 4 and 5.
struct CountingVisitor final : pulse::ExpositionVisitor {
    void sample(std::string_view, const pulse::LabelView *, std::size_t, double, std::optional<std::int64_t>) override
    {
        ++samples;
    }
    std::size_t samples = 0;
};

void checkErrorShape(const pulse::Error &error, pulse::ExpositionFormat format)
{
    const std::string &m = error.message;
    if (m.rfind("line ", 0) != 0 || m.size() < 8)
        violated("an error that does not start with \"line N: \"", format);
    std::size_t i = 5;
    while (i < m.size() && m[i] >= '0' && m[i] <= '9')
        ++i;
    if (i == 5 || m.compare(i, 2, ": ") != 0 || (i == 6 && m[5] == '0'))
        violated("an error that does not start with \"line N: \" (N >= 1)", format);
}

void checkLimits(std::string_view text, pulse::ExpositionFormat format, std::size_t samples, std::size_t maxLabels)
{
    CountingVisitor counter;
    if (samples > 1) {
        if (!pulse::parseExposition(text, format, counter, {.sampleLimit = samples}))
            violated("sample_limit equal to the sample count failed", format);
        if (pulse::parseExposition(text, format, counter, {.sampleLimit = samples - 1}))
            violated("sample_limit below the sample count passed", format);
    }
    if (maxLabels > 1) {
        if (!pulse::parseExposition(text, format, counter, {.labelLimit = maxLabels}))
            violated("label_limit equal to the largest label count failed", format);
        if (pulse::parseExposition(text, format, counter, {.labelLimit = maxLabels - 1}))
            violated("label_limit below the largest label count passed", format);
    }
}

void fuzzOne(pulse::ExpositionParser &shared, std::string_view text, pulse::ExpositionFormat format)
{
    CheckingVisitor visitor(format);
    const auto result = pulse::parseExposition(text, format, visitor);

    CountingVisitor again;
    const auto reused = shared.parse(text, format, again);
    if (result.has_value() != reused.has_value())
        violated("a reused parser disagrees with a fresh one on success", format);
    if (!result && result.error().message != reused.error().message)
        violated("a reused parser gives another error message", format);

    const auto owning = pulse::parseExposition(text, format);
    if (result.has_value() != owning.has_value())
        violated("the owning form disagrees with the visitor form on success", format);

    if (!result) {
        checkErrorShape(result.error(), format);
        return;
    }
    const pulse::ParseStats &stats = *result;
    if (stats.samples != visitor.samples() || reused->samples != stats.samples || again.samples != stats.samples)
        violated("ParseStats::samples differs from the samples visited", format);
    if (owning->samples.size() != stats.samples)
        violated("the owning form holds another number of samples", format);
    if (stats.exemplars != visitor.exemplars())
        violated("ParseStats::exemplars differs from the exemplars visited", format);
    // Families are counted once per name in both formats (the text format may declare one again).
    if (owning->families.size() != visitor.families())
        violated("the owning form holds another number of families than the names announced", format);
    if (stats.families != visitor.families())
        violated("ParseStats::families does not match the families announced", format);
    checkLimits(text, format, stats.samples, visitor.maxLabels());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // One parser for the whole run, so scratch state carried from earlier inputs is exercised too.
    static pulse::ExpositionParser s_shared;
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    fuzzOne(s_shared, text, pulse::ExpositionFormat::PrometheusText);
    fuzzOne(s_shared, text, pulse::ExpositionFormat::OpenMetrics);
    return 0;
}
