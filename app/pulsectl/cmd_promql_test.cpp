// pulsectl promql-test: run Prometheus-format PromQL `.test` files through Pulseboard's engine.
#include "app/pulsectl/command.h"
#include "core/promql_testing/promql_test_runner.h"

#include <ostream>

namespace pulse::cli {

namespace {
constexpr const char *kUsage =
    "usage: pulsectl promql-test FILE...\n"
    "Runs PromQL test files in Prometheus's .test format (load, clear, eval instant, eval_ordered,\n"
    "eval_fail) and prints each case that does not pass, then 'N passed, M failed, K unsupported'.\n"
    "Exit 1 if any case failed or a file could not be read.\n";
}

int cmdPromqlTest(Args args, std::ostream &out, std::ostream &err)
{
    if (args.empty()) {
        err << kUsage;
        return kExitUsage;
    }
    for (const auto &a : args) {
        if (a == "--help" || a == "-h") {
            out << kUsage;
            return kExitOk;
        }
        if (a.starts_with("-")) {
            err << "pulsectl promql-test: unknown option " << a << "\n" << kUsage;
            return kExitUsage;
        }
    }
    const promql::PromqlTestRunner runner;
    int passed = 0;
    int failed = 0;
    int unsupported = 0;
    bool unreadable = false;
    for (const auto &file : args) {
        auto results = runner.runFile(file);
        if (!results) {
            err << file << ": " << results.error().message << "\n";
            unreadable = true;
            continue;
        }
        for (const auto &r : *results) {
            switch (r.outcome) {
            case promql::CaseResult::Outcome::Passed:
                ++passed;
                break;
            case promql::CaseResult::Outcome::Failed:
                ++failed;
                out << r.message << "\n";
                break;
            case promql::CaseResult::Outcome::Unsupported:
                ++unsupported;
                out << r.file << ":" << r.line << ": " << r.expr << " — unsupported: " << r.message << "\n";
                break;
            }
        }
    }
    out << passed << " passed, " << failed << " failed, " << unsupported << " unsupported\n";
    return failed > 0 || unreadable ? kExitFailed : kExitOk;
}

} // namespace pulse::cli
