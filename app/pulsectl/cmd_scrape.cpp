// pulsectl scrape: one real scrape through HttpClient and the exposition parser, printed like
// parse-metrics. The Accept header and the choice of parser follow Prometheus: ask for OpenMetrics
// first, then parse by the Content-Type that came back.
#include "app/pulsectl/command.h"
#include "app/pulsectl/sample_printer.h"

#include "collectors/http_client.h"
#include "collectors/io_runtime.h"
#include "collectors/prometheus_probe.h"
#include "core/base/duration.h"
#include "core/config/secret.h"
#include "core/exposition/exposition_parser.h"

#include <charconv>
#include <optional>
#include <ostream>

namespace pulse::cli {

namespace {

constexpr const char *kUsage =
    "usage: pulsectl scrape [--timeout 10s] [--max-body 16MiB] [--sample-limit N] [--count]\n"
    "                       [--openmetrics-accept] URL\n";

constexpr const char *kHelp =
    "\n"
    "Scrapes URL once, as Prometheus would, and prints one JSON object per sample (the same output\n"
    "as parse-metrics), or with --count one line \"N samples, M families\".\n"
    "\n"
    "  --timeout D           the whole exchange, redirects included (default 10s)\n"
    "  --max-body SIZE       largest body accepted, after decompression (default 16MiB;\n"
    "                        units B, KiB, MiB, GiB, KB, MB, GB)\n"
    "  --sample-limit N      fail when the target exposes more than N samples (default: no limit)\n"
    "  --count               print only the counts\n"
    "  --openmetrics-accept  accept only OpenMetrics (default: Prometheus's Accept header, which\n"
    "                        prefers OpenMetrics and falls back to the text format)\n"
    "\n"
    "The body is parsed as OpenMetrics when the Content-Type says application/openmetrics-text and\n"
    "as the Prometheus text format otherwise.\n"
    "\n"
    "Exit status: 0 scraped, 1 the scrape failed (the reason on stderr), 2 bad usage.\n";

constexpr const char *kOpenMetricsOnly =
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75";

struct Options {
    std::string url;
    Duration timeout = std::chrono::seconds(10);
    std::size_t maxBody = 16 * 1024 * 1024;
    std::size_t sampleLimit = 0;
    bool count = false;
    bool openMetricsOnly = false;
    bool help = false;
};

/// parseSize reads "16MiB", "512KB", "1048576".
std::optional<std::size_t> parseSize(std::string_view text)
{
    std::size_t number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc() || end == text.data())
        return std::nullopt;
    const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
    static constexpr std::pair<std::string_view, std::size_t> kUnits[] = {
        {"", 1},         {"B", 1},           {"KiB", 1 << 10},   {"MiB", 1 << 20}, {"GiB", std::size_t{1} << 30},
        {"KB", 1000},    {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000}};
    for (const auto &[name, factor] : kUnits) {
        if (unit == name)
            return number * factor;
    }
    return std::nullopt;
}

std::optional<Options> parseOptions(Args args, std::ostream &err)
{
    Options options;
    auto usageError = [&](const std::string &message) {
        err << "pulsectl scrape: " << message << '\n' << kUsage;
        return std::nullopt;
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &arg = args[i];
        const bool takesValue = arg == "--timeout" || arg == "--max-body" || arg == "--sample-limit";
        if (takesValue && i + 1 >= args.size())
            return usageError(arg + " needs a value");
        if (arg == "--timeout") {
            auto d = parseDuration(args[++i]);
            if (!d || d->count() <= 0)
                return usageError("bad --timeout '" + args[i] + "' (write e.g. 10s or 500ms)");
            options.timeout = *d;
        } else if (arg == "--max-body") {
            auto size = parseSize(args[++i]);
            if (!size || *size == 0)
                return usageError("bad --max-body '" + args[i] + "' (write e.g. 16MiB)");
            options.maxBody = *size;
        } else if (arg == "--sample-limit") {
            const std::string &v = args[++i];
            const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), options.sampleLimit);
            if (ec != std::errc() || end != v.data() + v.size())
                return usageError("bad --sample-limit '" + v + "' (a whole number)");
        } else if (arg == "--count") {
            options.count = true;
        } else if (arg == "--openmetrics-accept") {
            options.openMetricsOnly = true;
        } else if (arg == "--help" || arg == "-h") {
            options.help = true;
        } else if (arg.size() > 1 && arg[0] == '-') {
            return usageError("unknown option '" + arg + "'");
        } else if (!options.url.empty()) {
            return usageError("more than one URL given");
        } else {
            options.url = arg;
        }
    }
    if (options.url.empty() && !options.help)
        return usageError("no URL given");
    return options;
}

Result<HttpResponse> scrape(const Options &options)
{
    IoRuntime io(1);
    HttpClient http(io);
    HttpRequest req;
    req.url = options.url;
    req.timeout = options.timeout;
    req.maxBodyBytes = options.maxBody;
    req.headers.emplace_back("Accept", options.openMetricsOnly ? kOpenMetricsOnly : PrometheusProbe::kAcceptHeader);
    req.headers.emplace_back("X-Prometheus-Scrape-Timeout-Seconds",
                             std::to_string(static_cast<double>(options.timeout.count()) / 1000.0));
    auto response = http.fetchBlocking(std::move(req));
    io.stop();
    if (response && response->status != 200)
        return fail("server returned HTTP status " + std::to_string(response->status));
    return response;
}

} // namespace

int cmdScrape(Args args, std::ostream &out, std::ostream &err)
{
    const auto options = parseOptions(args, err);
    if (!options)
        return kExitUsage;
    if (options->help) {
        out << kUsage << kHelp;
        return kExitOk;
    }
    const auto response = scrape(*options);
    if (!response) {
        err << "pulsectl scrape: " << redactUrlSecrets(options->url) << ": " << response.error().message << '\n';
        return kExitFailed;
    }
    ParseLimits limits;
    limits.sampleLimit = options->sampleLimit;
    return printExposition(response->body, formatFromContentType(response->contentType), limits, options->count,
                           "pulsectl scrape: " + redactUrlSecrets(options->url), out, err);
}

} // namespace pulse::cli
