// pulsectl parse-metrics: parses a Prometheus text or OpenMetrics exposition from a file or stdin and
// prints one JSON object per sample, or a count. Output is printed only after the whole input parsed,
// because a parse is all-or-nothing.
#include "app/pulsectl/command.h"
#include "app/pulsectl/sample_printer.h"

#include "core/exposition_parser.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <istream>
#include <iterator>
#include <optional>
#include <ostream>
#include <sstream>

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
    "  --count        print only \"N samples, M families\"\n"
    "  FILE           the exposition to read, or - for standard input\n"
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

Result<std::string> readInput(const std::string &path, std::istream &in)
{
    if (path == "-") {
        std::string text(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>{});
        if (in.bad())
            return fail("cannot read standard input");
        return text;
    }
    // One read into a string of the file's size: a large exposition is not copied twice.
    std::ifstream file(path, std::ios::binary);
    if (!file)
        return fail("cannot open " + path + ": " + std::strerror(errno));
    file.seekg(0, std::ios::end);
    const std::streamoff size = file ? static_cast<std::streamoff>(file.tellg()) : -1;
    if (size < 0) { // a pipe or device: no size to ask for, read it as a stream
        file.clear();
        std::string text(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>{});
        if (file.bad())
            return fail("cannot read " + path + ": " + std::strerror(errno));
        return text;
    }
    std::string text;
    if (size > 0) {
        text.resize(static_cast<std::size_t>(size));
        file.seekg(0);
        file.read(text.data(), size);
    }
    if (file.bad() || (size > 0 && file.gcount() != size))
        return fail("cannot read " + path + ": " + std::strerror(errno));
    return text;
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
    const auto text = readInput(options->path, in);
    if (!text) {
        err << "pulsectl parse-metrics: " << text.error().message << '\n';
        return kExitFailed;
    }
    const ExpositionFormat format = options->openMetrics ? ExpositionFormat::OpenMetrics : ExpositionFormat::PrometheusText;
    const std::string inputName = options->path == "-" ? "<stdin>" : options->path;

    return printExposition(*text, format, ParseLimits{}, options->count, inputName, out, err);
}

} // namespace pulse::cli
