// pulsectl subcommands: each is a function over its arguments and two streams, so tests can call them.
#pragma once

#include "core/logs/line_pattern.h"

#include <iosfwd>
#include <span>
#include <string>

namespace pulse::cli {

/// Exit codes every subcommand uses.
enum ExitCode : int {
    kExitOk = 0,
    kExitFailed = 1, ///< the command ran and failed (bad input data, scrape error, ...)
    kExitUsage = 2,  ///< bad arguments or a bad config file
};

/// Args are the words after the subcommand name.
using Args = std::span<const std::string>;

int cmdCheckConfig(Args args, std::ostream &out, std::ostream &err);
int cmdDemo(Args args, std::ostream &out, std::ostream &err);
int cmdPromqlTest(Args args, std::ostream &out, std::ostream &err);
int cmdParseMetrics(Args args, std::istream &in, std::ostream &out, std::ostream &err);
int cmdScrape(Args args, std::ostream &out, std::ostream &err);
int cmdImport(Args args, std::ostream &out, std::ostream &err);
int cmdQuery(Args args, std::ostream &out, std::ostream &err);
/// cmdParseLog parses a log file as a log target would and prints its records as JSON (or counts).
/// compile compiles --pattern and --start-pattern (line_pattern.h; pulsectl-full passes
/// compileLinePattern, the front one that refuses, as it hands patterns to pulsectl-full).
int cmdParseLog(Args args, std::ostream &out, std::ostream &err, LinePatternCompiler compile);
/// cmdTail follows log files as log targets do and prints their records as JSON lines.
int cmdTail(Args args, std::ostream &out, std::ostream &err);
/// cmdLogs prints the log records a history database holds.
int cmdLogs(Args args, std::ostream &out, std::ostream &err);
/// cmdRules checks rule files or runs rule unit tests (promtool's formats).
int cmdRules(Args args, std::ostream &out, std::ostream &err);
/// cmdAlerts lists the alert instances a history database holds.
int cmdAlerts(Args args, std::ostream &out, std::ostream &err);
/// cmdRun runs Pulseboard headless until --for elapses or SIGTERM/SIGINT (an event loop of its own).
int cmdRun(Args args, std::ostream &out, std::ostream &err);

} // namespace pulse::cli
