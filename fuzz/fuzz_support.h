// What the fuzz targets share: how a broken invariant ends the run (libFuzzer and the replay driver
// both report an abort with the input that caused it).
#pragma once

#include <cstdio>
#include <cstdlib>

namespace pulse::fuzz {

[[noreturn]] inline void violated(const char *what)
{
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
}

} // namespace pulse::fuzz
