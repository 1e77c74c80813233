// pulsectl rules: `check` reads Prometheus rule files as Prometheus would, `test` runs promtool's
// rule unit-test files over Pulseboard's rules engine — the same inputs as `promtool check rules`
// and `promtool test rules`, results printed in the same spirit.
#include "app/pulsectl/command.h"

#include "app/pulsectl/rule_unit_test.h"
#include "core/config/rule_files.h"

#include <filesystem>
#include <ostream>
#include <variant>

namespace pulse::cli {
namespace {

constexpr const char *kUsage = "usage: pulsectl rules check FILE...\n       pulsectl rules test FILE...\n";

constexpr const char *kHelp =
    "\n"
    "check  reads Prometheus rule files (groups of alert: and record: rules) and prints\n"
    "       'SUCCESS: N rules found' for each, or every problem as FILE:LINE:COL: message.\n"
    "test   runs `promtool test rules` files: rule_files, evaluation_interval, group_eval_order,\n"
    "       fuzzy_compare, and tests with input_series, alert_rule_test and promql_expr_test.\n"
    "       Prints SUCCESS or FAILED with what differed, for each file.\n"
    "\n"
    "Exit status: 0 all good, 1 a file failed, 2 bad usage.\n";

void printDiagnostics(std::ostream &out, const std::vector<ConfigDiagnostic> &diagnostics)
{
    for (const ConfigDiagnostic &d : diagnostics)
        out << "  " << formatDiagnostic(d) << '\n';
}

int check(const std::vector<std::string> &files, std::ostream &out)
{
    int status = kExitOk;
    for (const std::string &file : files) {
        out << "Checking " << file << '\n';
        auto groups = loadRuleFile(file);
        if (!groups) {
            out << "  FAILED:\n";
            printDiagnostics(out, groups.error());
            status = kExitFailed;
            continue;
        }
        std::size_t rules = 0;
        for (const RuleGroupConfig &g : *groups)
            rules += g.rules.size();
        out << "  SUCCESS: " << rules << " rules found\n";
    }
    return status;
}

/// ruleFilesOf resolves a test file's rule_files against its directory, expanding globs; a plain
/// path that is not there stays, so loading it says so.
std::vector<std::string> ruleFilesOf(const std::string &testFile, const std::vector<std::string> &patterns)
{
    std::vector<std::string> out;
    for (const std::string &pattern : patterns) {
        RuleFilePaths files = resolveRuleFiles(pattern, std::filesystem::path(testFile).parent_path().string());
        if (files.paths.empty() && !files.pattern)
            out.push_back(files.full);
        out.insert(out.end(), files.paths.begin(), files.paths.end());
    }
    return out;
}

int test(const std::vector<std::string> &files, std::ostream &out)
{
    int status = kExitOk;
    for (const std::string &file : files) {
        out << "Unit Testing:  " << file << '\n';
        auto tests = loadRuleTestFile(file);
        if (!tests) {
            out << "  FAILED:\n";
            printDiagnostics(out, tests.error());
            status = kExitFailed;
            continue;
        }
        std::vector<RuleGroupConfig> groups;
        std::vector<ConfigDiagnostic> problems;
        for (const std::string &ruleFile : ruleFilesOf(file, tests->ruleFiles)) {
            auto loaded = loadRuleFile(ruleFile);
            if (!loaded)
                problems.insert(problems.end(), loaded.error().begin(), loaded.error().end());
            else
                groups.insert(groups.end(), loaded->begin(), loaded->end());
        }
        if (!problems.empty()) {
            out << "  FAILED:\n";
            printDiagnostics(out, problems);
            status = kExitFailed;
            continue;
        }
        std::vector<std::string> errors;
        for (const RuleTestFile::Group &group : tests->tests) {
            auto found = runRuleTestGroup(*tests, group, groups);
            errors.insert(errors.end(), found.begin(), found.end());
        }
        if (errors.empty()) {
            out << "  SUCCESS\n";
            continue;
        }
        out << "  FAILED:\n";
        for (const std::string &e : errors)
            out << e << "\n\n";
        status = kExitFailed;
    }
    return status;
}

} // namespace

int cmdRules(Args args, std::ostream &out, std::ostream &err)
{
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
        out << kUsage << kHelp;
        return kExitOk;
    }
    if (args.size() < 2 || (args[0] != "check" && args[0] != "test")) {
        err << "pulsectl rules: expected 'check FILE...' or 'test FILE...'\n" << kUsage;
        return kExitUsage;
    }
    const std::vector<std::string> files(args.begin() + 1, args.end());
    for (const std::string &f : files) {
        if (f.starts_with('-')) {
            err << "pulsectl rules: unexpected option '" << f << "'\n" << kUsage;
            return kExitUsage;
        }
    }
    const int status = args[0] == "check" ? check(files, out) : test(files, out);
    out.flush();
    return status;
}

} // namespace pulse::cli
