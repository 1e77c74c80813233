// pulsectl parse-metrics: parses a Prometheus text or OpenMetrics exposition from a file or stdin and
// prints one JSON object per sample, or a count. Output is printed only after the whole input parsed,
// because a parse is all-or-nothing.
#include "app/pulsectl/command.h"
#include "app/pulsectl/input_text.h"
#include "app/pulsectl/sample_printer.h"

#include "core/exposition/exposition_parser.h"

#include <optional>
#include <ostream>
#include <string>

namespace pulse::cli {

namespace {

constexpr const char *kUsage = "usage: pulsectl parse-metrics [--openmetrics] [--count] FILE|-\n";

constexpr const char *kHelp =
    "\n"
    "Parses a metrics exposition and prints one JSON object per sample:\n"
    "  {\"name\":\"...\",\"labels\":{...},\"value\":1.5,\"timestamp_ms\":123}\n"
    "NaN and infinities are printed as the strings \"NaN\", \"+Inf\" and \"-Inf\".\n"
    "\n"
    "  --openmetrics  parse as OpenMetrics 1.0 (default: Prometheus text format 0.0.4;\n"
    "                 the format is never guessed from the input)\n"
    "  --count        print only \"N samples, M families\" (N counts every sample line, as\n"
    "                 Prometheus's scrape_samples_scraped does)\n"
    "  FILE           the exposition to read, or - for standard input\n"
    "\n"
    "A series repeated without a timestamp keeps its first sample, as a Prometheus scrape does, and\n"
    "\"K duplicate samples (...), the first on line L\" follows (after the count, or on stderr).\n"
    "\n"
    "Exit status: 0 parsed, 1 invalid input (\"FILE: line N: ...\" on stderr), 2 bad usage.\n";

struct Options {
    bool openMetrics = false;
    bool count = false;
    bool help = false;
    std::string path;
};

std::optional<Options> parseOptions(Args args, std::ostream &err)
{
    Options options;
    bool havePath = false;
    for (const std::string &arg : args) {
        if (arg == "--openmetrics") {
            options.openMetrics = true;
        } else if (arg == "--count") {
            options.count = true;
        } else if (arg == "--help" || arg == "-h") {
            options.help = true;
        } else if (arg.size() > 1 && arg[0] == '-') {
            err << "pulsectl parse-metrics: unknown option '" << arg << "'\n" << kUsage;
            return std::nullopt;
        } else if (havePath) {
            err << "pulsectl parse-metrics: more than one input given\n" << kUsage;
            return std::nullopt;
        } else {
            options.path = arg;
            havePath = true;
        }
    }
    if (!havePath && !options.help) {
        err << "pulsectl parse-metrics: no input given\n" << kUsage;
        return std::nullopt;
    }
    return options;
}

} // namespace

int cmdParseMetrics(Args args, std::istream &in, std::ostream &out, std::ostream &err)
{
    const auto options = parseOptions(args, err);
    if (!options)
        return kExitUsage;
    if (options->help) {
        out << kUsage << kHelp;
        return kExitOk;
    }
    auto input =
        options->path == "-" ? InputText::fromStream(in, "standard input") : InputText::fromFile(options->path);
    if (!input) {
        err << "pulsectl parse-metrics: " << input.error().message << '\n';
        return kExitFailed;
    }
    const ExpositionFormat format = options->openMetrics ? ExpositionFormat::OpenMetrics : ExpositionFormat::PrometheusText;
    const std::string inputName = options->path == "-" ? "<stdin>" : options->path;

    return printExposition(input->text(), format, ParseLimits{}, options->count, inputName, out, err);
}

} // namespace pulse::cli
