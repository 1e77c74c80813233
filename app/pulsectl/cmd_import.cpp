// pulsectl import: loads an OpenMetrics file with timestamps (what `promtool tsdb
// create-blocks-from openmetrics` reads) into a history database through the real writer path.
#include "app/pulsectl/command.h"

#include "core/exposition/exposition_parser.h"
#include "storage/sample_writer.h"

#include <fstream>
#include <iterator>
#include <optional>
#include <ostream>
#include <sstream>

namespace pulse::cli {

namespace {

constexpr const char *kUsage = "usage: pulsectl import --db DB FILE\n";

constexpr const char *kHelp =
    "\n"
    "Imports an OpenMetrics 1.0 text file into the history database DB (created when missing).\n"
    "Every sample needs a timestamp; the file is checked completely before anything is written, so\n"
    "a bad file imports nothing. What promtool's backfill accepts is imported: a file that breaks\n"
    "OpenMetrics' per-family rules (a histogram written series by series, a counter going below 0)\n"
    "is imported with a note on stderr naming the first such line. Samples not newer than what a\n"
    "series already holds are skipped and counted. Prints \"imported N samples (S series, K skipped)\".\n"
    "\n"
    "Exit status: 0 imported, 1 invalid input or database error, 2 bad usage.\n";

constexpr std::size_t kBatchSamples = 20'000;

// Checks the whole input first: a parse is all-or-nothing, and so should an import be.
class TimestampCheck final : public ExpositionVisitor {
public:
    void sample(std::string_view name, const LabelView *, std::size_t, double, std::optional<std::int64_t> ts) override
    {
        ++m_samples;
        if (!ts && m_missing.empty())
            m_missing = "sample " + std::to_string(m_samples) + " ('" + std::string(name) + "') has no timestamp";
    }
    std::string m_missing;
    std::size_t m_samples = 0;
};

// Streams samples into the writer in batches.
class BatchingVisitor final : public ExpositionVisitor {
public:
    explicit BatchingVisitor(storage::SampleWriter &writer) : m_writer(writer) {}

    void sample(std::string_view name, const LabelView *labels, std::size_t count, double value,
                std::optional<std::int64_t> ts) override
    {
        std::vector<Label> items;
        items.reserve(count);
        for (std::size_t i = 0; i < count; ++i)
            items.push_back(Label{std::string(labels[i].name), std::string(labels[i].value)});
        m_batch.samples.push_back(Sample{std::string(name), Labels(std::move(items)), ts.value_or(0), value});
        if (m_batch.samples.size() >= kBatchSamples)
            send();
    }

    void send()
    {
        if (!m_batch.samples.empty())
            m_writer.appendWait(std::move(m_batch));
        m_batch = MetricBatch{};
    }

private:
    storage::SampleWriter &m_writer;
    MetricBatch m_batch;
};

} // namespace

int cmdImport(Args args, std::ostream &out, std::ostream &err)
{
    std::string db, path;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--help" || args[i] == "-h") {
            out << kUsage << kHelp;
            return kExitOk;
        }
        if (args[i] == "--db" && i + 1 < args.size()) {
            db = args[++i];
        } else if (args[i].size() > 1 && args[i][0] == '-') {
            err << "pulsectl import: unknown option '" << args[i] << "'\n" << kUsage;
            return kExitUsage;
        } else if (path.empty()) {
            path = args[i];
        } else {
            err << "pulsectl import: more than one input given\n" << kUsage;
            return kExitUsage;
        }
    }
    if (db.empty() || path.empty()) {
        err << "pulsectl import: need --db DB and a FILE\n" << kUsage;
        return kExitUsage;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        err << "pulsectl import: cannot read '" << path << "'\n";
        return kExitFailed;
    }
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

    ExpositionParser parser;
    TimestampCheck check;
    ParseLimits asPromtool;
    asPromtool.familyRules = false;
    if (auto strict = parser.parse(text, ExpositionFormat::OpenMetrics, check); !strict) {
        // promtool reads the line grammar only: what it accepts is imported, and what is odd said.
        check = TimestampCheck{};
        if (auto lenient = parser.parse(text, ExpositionFormat::OpenMetrics, check, asPromtool); !lenient) {
            err << path << ": " << lenient.error().message << '\n';
            return kExitFailed;
        }
        err << path << ": note: not valid OpenMetrics (" << strict.error().message
            << "); imported as promtool does\n";
    }
    if (!check.m_missing.empty()) {
        err << path << ": " << check.m_missing << '\n';
        return kExitFailed;
    }

    storage::SampleWriterOptions options;
    options.queueCapacity = 4 * kBatchSamples;
    auto writer = storage::SampleWriter::open(db, options);
    if (!writer) {
        err << "pulsectl import: " << writer.error().message << '\n';
        return kExitFailed;
    }
    BatchingVisitor visitor(**writer);
    if (auto parsed = parser.parse(text, ExpositionFormat::OpenMetrics, visitor, asPromtool); !parsed) {
        err << path << ": " << parsed.error().message << '\n';
        return kExitFailed;
    }
    visitor.send();
    if (auto flushed = (*writer)->flush(); !flushed) {
        err << "pulsectl import: " << flushed.error().message << '\n';
        return kExitFailed;
    }
    const storage::WriterStatus s = (*writer)->status();
    out << "imported " << s.committedSamples << " samples (" << s.seriesCount << " series, "
        << s.outOfOrderSamples + s.outOfRangeSamples << " skipped)\n";
    return kExitOk;
}

} // namespace pulse::cli
