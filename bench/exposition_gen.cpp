// Generator for benchmark expositions: looks like a busy web service's /metrics.
#include "exposition_gen.h"

#include <array>
#include <cstdio>

namespace pulse::bench {

std::string makeExposition(std::size_t targetBytes)
{
    static constexpr std::array<const char *, 12> kBuckets{"0.005", "0.01", "0.025", "0.05", "0.1", "0.25",
                                                           "0.5",   "1",    "2.5",   "5",    "10",  "+Inf"};
    static constexpr std::array<const char *, 4> kMethods{"GET", "POST", "PUT", "DELETE"};
    static constexpr std::array<const char *, 5> kStatus{"200", "201", "404", "500", "503"};
    std::string out;
    out.reserve(targetBytes + 4096);
    char line[512];
    int family = 0;
    while (out.size() < targetBytes) {
        const int f = family++;
        std::snprintf(line, sizeof line,
                      "# HELP http_requests_%d_total Requests handled, by \"method\" and status.\\n More.\n"
                      "# TYPE http_requests_%d_total counter\n",
                      f, f);
        out += line;
        for (int r = 0; r < 20; ++r)
            for (const char *m : kMethods)
                for (const char *s : kStatus) {
                    std::snprintf(line, sizeof line,
                                  "http_requests_%d_total{method=\"%s\",route=\"/api/v1/items/%d\",status=\"%s\","
                                  "note=\"quote \\\" and \\\\ backslash\"} %d\n",
                                  f, m, r, s, (f * 7919 + r * 104729) % 1000003);
                    out += line;
                }
        std::snprintf(line, sizeof line,
                      "# HELP latency_%d_seconds Request latency.\n# TYPE latency_%d_seconds histogram\n", f, f);
        out += line;
        for (int r = 0; r < 20; ++r) {
            long cumulative = 0;
            for (const char *b : kBuckets) {
                cumulative += (r * 13 + f) % 97 + 1;
                std::snprintf(line, sizeof line, "latency_%d_seconds_bucket{route=\"/api/v1/items/%d\",le=\"%s\"} %ld\n",
                              f, r, b, cumulative);
                out += line;
            }
            std::snprintf(line, sizeof line,
                          "latency_%d_seconds_sum{route=\"/api/v1/items/%d\"} %.6f\n"
                          "latency_%d_seconds_count{route=\"/api/v1/items/%d\"} %ld\n",
                          f, r, cumulative * 0.0375, f, r, cumulative);
            out += line;
        }
        std::snprintf(line, sizeof line,
                      "# TYPE process_open_fds_%d gauge\nprocess_open_fds_%d 42\n"
                      "# TYPE temperature_%d gauge\ntemperature_%d{sensor=\"a\"} -1.5e-3\n"
                      "temperature_%d{sensor=\"b\"} NaN\n",
                      f, f, f, f, f);
        out += line;
    }
    return out;
}

} // namespace pulse::bench
