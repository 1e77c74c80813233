// A realistic large exposition for benchmarks: histograms, many label sets, escapes, HELP/TYPE.
#pragma once

#include <string>

namespace pulse::bench {

/// makeExposition builds a text-format (0.0.4) payload of roughly `targetBytes` bytes.
std::string makeExposition(std::size_t targetBytes);

} // namespace pulse::bench
