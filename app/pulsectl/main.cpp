// pulsectl: Pulseboard's command-line tool. Dispatches to one function per subcommand (command.h).
#include "app/pulsectl/command.h"

#include <QCoreApplication>

#include <iostream>
#include <string>
#include <vector>

namespace {

struct Command {
    const char *name;
    const char *summary;
};

constexpr Command kCommands[] = {
    {"check-config", "validate a config file; prints ok or FILE:LINE:COL: message"},
    {"demo", "run the simulated backend service (metrics, health, API, GraphQL, logs)"},
    {"promql-test", "run PromQL .test files (Prometheus's format) through the engine"},
    {"parse-metrics", "parse a Prometheus/OpenMetrics exposition and print its samples"},
    {"scrape", "scrape a /metrics URL once, as Prometheus would, and print its samples"},
    {"import", "load an OpenMetrics file with timestamps into a history database"},
    {"query", "evaluate PromQL over a history database (Prometheus API JSON)"},
    {"parse-log", "parse a log file as a log target would; JSON per record, or counts"},
    {"tail", "follow log files as log targets do; JSON per record as it arrives"},
    {"logs", "print the log records a history database holds (text or JSON lines)"},
    {"alerts", "list the alert instances a history database holds (text or JSON lines)"},
    {"rules", "check Prometheus rule files, or run promtool rule unit tests (check|test FILE...)"},
    {"run", "run Pulseboard headless: collectors, history, rules (logfmt on stderr)"},
};

void printUsage(std::ostream &os)
{
    os << "usage: pulsectl <command> [options]\n\ncommands:\n";
    for (const auto &c : kCommands)
        os << "  " << c.name << std::string(16 - std::string(c.name).size(), ' ') << c.summary << '\n';
    os << "\nRun 'pulsectl <command> --help' for a command's options.\n";
}

} // namespace

int main(int argc, char **argv)
{
    // A QCoreApplication gives Qt's file and JSON classes what they expect; there is no event loop
    // unless a command runs one of its own.
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pulsectl"));

    std::vector<std::string> words(argv + 1, argv + argc);
    if (words.empty() || words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
        printUsage(words.empty() ? std::cerr : std::cout);
        return words.empty() ? pulse::cli::kExitUsage : pulse::cli::kExitOk;
    }
    const std::string name = words[0];
    const pulse::cli::Args args(words.data() + 1, words.size() - 1);
    if (name == "check-config")
        return pulse::cli::cmdCheckConfig(args, std::cout, std::cerr);
    if (name == "demo")
        return pulse::cli::cmdDemo(args, std::cout, std::cerr);
    if (name == "promql-test")
        return pulse::cli::cmdPromqlTest(args, std::cout, std::cerr);
    if (name == "parse-metrics")
        return pulse::cli::cmdParseMetrics(args, std::cin, std::cout, std::cerr);
    if (name == "scrape")
        return pulse::cli::cmdScrape(args, std::cout, std::cerr);
    if (name == "import")
        return pulse::cli::cmdImport(args, std::cout, std::cerr);
    if (name == "query")
        return pulse::cli::cmdQuery(args, std::cout, std::cerr);
    if (name == "parse-log")
        return pulse::cli::cmdParseLog(args, std::cout, std::cerr, &pulse::compileLinePattern);
    if (name == "tail")
        return pulse::cli::cmdTail(args, std::cout, std::cerr);
    if (name == "logs")
        return pulse::cli::cmdLogs(args, std::cout, std::cerr);
    if (name == "rules")
        return pulse::cli::cmdRules(args, std::cout, std::cerr);
    if (name == "alerts")
        return pulse::cli::cmdAlerts(args, std::cout, std::cerr);
    if (name == "run")
        return pulse::cli::cmdRun(args, std::cout, std::cerr);
    std::cerr << "pulsectl: unknown command '" << name << "'\n\n";
    printUsage(std::cerr);
    return pulse::cli::kExitUsage;
}
