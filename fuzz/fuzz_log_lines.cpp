// libFuzzer target for the log line parsers: every input is parsed as each log format. Besides "never
// crashes, never trips ASan/UBSan", each record keeps the invariants of core/logs/log_parsers.h:
//
//  1. A line is never dropped: a record comes back for any input.
//  2. raw is the input byte-exact.
//  3. A malformed record carries the read time and the raw text as its message.
#include "core/logs/log_parsers.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

[[noreturn]] void violated(const char *what, pulse::LogFormat format)
{
    std::fprintf(stderr, "invariant violated (%.*s): %s\n", static_cast<int>(pulse::logFormatName(format).size()),
                 pulse::logFormatName(format).data(), what);
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view line(reinterpret_cast<const char *>(data), size);
    pulse::LogLineContext context;
    context.target = "fuzz";
    context.readTimeMs = 1'700'000'000'000;
    for (const pulse::LogFormat format : {pulse::LogFormat::NginxCombined, pulse::LogFormat::JsonLines,
                                          pulse::LogFormat::Syslog, pulse::LogFormat::Plain}) {
        const pulse::LogRecord record = pulse::parseLogLine(format, line, context);
        if (record.raw != line)
            violated("raw is not the input byte-exact", format);
        if (record.malformed && (record.timestampMs != context.readTimeMs || record.message != line))
            violated("a malformed record without the read time or the raw text", format);
    }
    return 0;
}
