// PromqlTestRunner: runs Prometheus's PromQL `.test` files against this engine (conformance).
#pragma once

#include "core/base/error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pulse::promql {

/// CaseResult is the outcome of one `eval` command.
struct CaseResult {
    enum class Outcome { Passed, Failed, Unsupported };
    Outcome outcome = Outcome::Passed;
    std::string file;
    int line = 0;
    std::string expr;
    std::string message; ///< "file:line: expr — expected … got …" for failures, the error for unsupported
};

struct RunnerOptions {
    /// checkRangeMode: like Prometheus's own runner, also evaluate each case as a range query from
    /// T-1m to T+1m (step 1m) and compare its middle step (skipped for eval_ordered and eval_fail).
    bool checkRangeMode = true;
};

/// PromqlTestRunner interprets the test-file commands `load <step>`, `clear`, `eval instant at <t>
/// <expr>`, `eval_ordered …` and `eval_fail …`, evaluating with Engine over a MemoryHistory. Values
/// compare with Prometheus's almostEqual (relative 1e-6, NaN equals NaN). A case is Unsupported only
/// when the engine answered with its "is not supported" error.
class PromqlTestRunner {
public:
    explicit PromqlTestRunner(RunnerOptions options = {});

    /// runFile reads and runs one file; an Error means the file itself could not be read or parsed.
    Result<std::vector<CaseResult>> runFile(const std::string &path) const;
    /// runScript runs test-file text; `fileName` only labels the results.
    Result<std::vector<CaseResult>> runScript(std::string_view text, std::string_view fileName) const;

private:
    RunnerOptions m_options;
};

/// almostEqual is Prometheus's test comparison: NaN equals NaN, otherwise equal within a relative
/// error of 1e-6 (absolute near zero).
bool almostEqual(double a, double b);

} // namespace pulse::promql
