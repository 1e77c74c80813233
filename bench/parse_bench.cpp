// parse_bench: in-process throughput of the exposition parser.
//   parse_bench [--bytes N] [--write FILE] [--input FILE [--openmetrics]]
// Without --input it parses a generated exposition of about N bytes (default 64 MiB); --write saves
// that payload so scripts/bench can hand the same bytes to promtool. Prints key=value lines.
#include "core/exposition/exposition_parser.h"
#include "exposition_gen.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace {

class CountingVisitor final : public pulse::ExpositionVisitor {
public:
    void sample(std::string_view, const pulse::LabelView *labels, std::size_t count, double value,
                std::optional<std::int64_t>) override
    {
        ++m_samples;
        m_labels += count;
        m_sum += value == value ? value : 0; // keep the value live
        (void)labels;
    }
    std::size_t m_samples = 0;
    std::size_t m_labels = 0;
    double m_sum = 0;
};

double secondsSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main(int argc, char **argv)
{
    std::size_t bytes = 64u << 20;
    std::string writePath;
    std::string inputPath;
    auto format = pulse::ExpositionFormat::PrometheusText;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--bytes" && i + 1 < argc)
            bytes = std::strtoull(argv[++i], nullptr, 10);
        else if (a == "--write" && i + 1 < argc)
            writePath = argv[++i];
        else if (a == "--input" && i + 1 < argc)
            inputPath = argv[++i];
        else if (a == "--openmetrics")
            format = pulse::ExpositionFormat::OpenMetrics;
        else {
            std::cerr << "usage: parse_bench [--bytes N] [--write FILE] [--input FILE [--openmetrics]]\n";
            return 2;
        }
    }
    std::string text;
    if (!inputPath.empty()) {
        std::ifstream in(inputPath, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        text = ss.str();
    } else {
        text = pulse::bench::makeExposition(bytes);
    }
    if (!writePath.empty())
        std::ofstream(writePath, std::ios::binary) << text;

    pulse::ExpositionParser parser;
    // Repeat small inputs so each measurement covers at least ~0.5 s of work.
    const int reps = std::max<int>(1, static_cast<int>((256u << 20) / std::max<std::size_t>(text.size(), 1)));
    double best = 1e9;
    std::size_t samples = 0;
    for (int round = 0; round < 3; ++round) {
        CountingVisitor v;
        const auto t0 = std::chrono::steady_clock::now();
        for (int r = 0; r < reps; ++r) {
            auto res = parser.parse(text, format, v);
            if (!res) {
                std::cerr << "parse failed: " << res.error().message << "\n";
                return 1;
            }
            samples = res->samples;
        }
        best = std::min(best, secondsSince(t0) / reps);
    }
    const auto t1 = std::chrono::steady_clock::now();
    auto owned = pulse::parseExposition(text, format);
    const double ownedSeconds = secondsSince(t1);
    if (!owned)
        return 1;
    const double mb = static_cast<double>(text.size()) / 1e6;
    std::printf("bytes=%zu\nsamples=%zu\nvisitor_mb_per_s=%.1f\nvisitor_samples_per_s=%.0f\n"
                "owned_mb_per_s=%.1f\nowned_samples_per_s=%.0f\n",
                text.size(), samples, mb / best, static_cast<double>(samples) / best, mb / ownedSeconds,
                static_cast<double>(owned->samples.size()) / ownedSeconds);
    return 0;
}
