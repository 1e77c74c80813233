// libFuzzer target for PromQL: every input is parsed; an expression that parses is evaluated as an
// instant query and as a short range query over a small fixed history (a counter with a reset, a
// gauge, histogram buckets, a staleness marker). Besides "never crashes, never trips ASan/UBSan":
//
//  1. A parse error reads "col N: ...", "line L, col N: ..." or names the length limit.
//  2. Parsing is deterministic: parsing the same text again gives the same success or message.
//  3. An accepted tree is at most kMaxExprDepth deep.
//  4. Evaluation answers or fails with a message; nothing escapes the engine.
#include "core/promql/engine.h"
#include "core/promql/parser.h"
#include "core/selection/memory_history.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>

namespace {

[[noreturn]] void violated(const char *what, std::string_view input)
{
    std::fprintf(stderr, "invariant violated: %s\ninput: %.*s\n", what,
                 static_cast<int>(std::min<std::size_t>(input.size(), 200)), input.data());
    std::abort();
}

bool wellShapedError(const std::string &m)
{
    if (m.starts_with("expression is "))
        return true;
    std::size_t i = 0;
    if (m.starts_with("line ")) {
        i = 5;
        while (i < m.size() && m[i] >= '0' && m[i] <= '9')
            ++i;
        if (m.compare(i, 2, ", ") != 0)
            return false;
        i += 2;
    }
    if (m.compare(i, 4, "col ") != 0)
        return false;
    i += 4;
    const std::size_t digits = i;
    while (i < m.size() && m[i] >= '0' && m[i] <= '9')
        ++i;
    return i > digits && m.compare(i, 2, ": ") == 0;
}

const pulse::MemoryHistory &history()
{
    // Built once and kept (MemoryHistory holds a mutex: it neither moves nor copies).
    static const pulse::MemoryHistory *const h = [] {
        auto *m = new pulse::MemoryHistory;
        constexpr std::int64_t kStep = 15'000;
        for (int i = 0; i < 40; ++i) {
            const std::int64_t t = i * kStep;
            m->append("http_requests_total", pulse::Labels({{"job", "api"}, {"code", "200"}}), t,
                      i < 25 ? i * 3.0 : (i - 25) * 2.0);
            m->append("http_requests_total", pulse::Labels({{"job", "api"}, {"code", "500"}}), t, i * 0.5);
            m->append("temperature", pulse::Labels({{"room", "a"}}), t, std::sin(i / 3.0) * 10);
            for (const char *le : {"0.1", "0.5", "1", "+Inf"})
                m->append("latency_seconds_bucket", pulse::Labels({{"job", "api"}, {"le", le}}), t,
                          i * (le[0] == '+' ? 4.0 : 1.0 + std::atof(le)));
            m->append("up", pulse::Labels({{"job", "api"}}), t, i % 7 == 0 ? 0 : 1);
        }
        m->append("temperature", pulse::Labels({{"room", "b"}}), 300'000, std::numeric_limits<double>::quiet_NaN());
        return m;
    }();
    return *h;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    const auto parsed = pulse::promql::parse(text);
    const auto again = pulse::promql::parse(text);
    if (parsed.has_value() != again.has_value() || (!parsed && parsed.error().message != again.error().message))
        violated("parsing the same text twice gave different answers", text);
    if (!parsed) {
        if (!wellShapedError(parsed.error().message))
            violated("a parse error without its column", text);
        return 0;
    }
    if ((*parsed)->depth == 0 || (*parsed)->depth > pulse::promql::kMaxExprDepth)
        violated("an accepted tree deeper than the limit", text);
    // Small windows keep one input's evaluation short; the history spans 0 to 585 s.
    pulse::promql::EngineOptions options;
    const pulse::promql::Engine engine(history(), options);
    (void)engine.instantQuery(text, 300'000);
    (void)engine.rangeQuery(text, 0, 600'000, 60'000);
    return 0;
}
