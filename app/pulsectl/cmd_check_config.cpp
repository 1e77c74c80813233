// pulsectl check-config: validate a config file, reporting every problem as FILE:LINE:COL: message.
#include "app/pulsectl/command.h"

#include "core/config/config_loader.h"

#include <optional>
#include <ostream>

namespace pulse::cli {
namespace {

void printUsage(std::ostream &os)
{
    os << "usage: pulsectl check-config [--print] FILE\n"
          "\n"
          "Validate a Pulseboard config file. Prints 'ok' and exits 0 when it is valid; otherwise prints\n"
          "every problem as FILE:LINE:COL: message on stderr and exits 2.\n"
          "Secrets written as ${VAR} are expanded from the environment, so unset variables are reported.\n"
          "\n"
          "options:\n"
          "  --print     when valid, print the normalized config instead of 'ok' (secrets as <secret>)\n"
          "  -h, --help  show this help\n";
}

int usageError(std::ostream &err, const std::string &problem)
{
    err << "pulsectl check-config: " << problem << "\n\n";
    printUsage(err);
    return kExitUsage;
}

} // namespace

int cmdCheckConfig(Args args, std::ostream &out, std::ostream &err)
{
    bool print = false;
    bool optionsEnded = false;
    std::optional<std::string> file;
    for (const std::string &arg : args) {
        if (!optionsEnded && (arg == "--help" || arg == "-h")) {
            printUsage(out);
            return kExitOk;
        }
        if (!optionsEnded && arg == "--print") {
            print = true;
            continue;
        }
        if (!optionsEnded && arg == "--") {
            optionsEnded = true;
            continue;
        }
        if (!optionsEnded && arg.starts_with('-'))
            return usageError(err, "unknown option '" + arg + "'");
        if (file)
            return usageError(err, "expected one FILE, got '" + *file + "' and '" + arg + "'");
        file = arg;
    }
    if (!file)
        return usageError(err, "missing FILE");

    const ConfigLoadResult result = loadConfigFile(*file);
    if (!result) {
        for (const ConfigDiagnostic &d : result.error())
            err << formatDiagnostic(d) << '\n';
        return kExitUsage;
    }
    if (print)
        out << dumpConfig(*result);
    else
        out << "ok\n";
    return kExitOk;
}

} // namespace pulse::cli
