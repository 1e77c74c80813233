// pulsectl's entry point: runs `parse-metrics` and `parse-log` itself and hands every other command
// to pulsectl-full (main.cpp), the build of pulsectl with every subcommand, by exec'ing it from the
// same directory.
//
// Why two executables: the other subcommands need Qt, OpenSSL, SQLite and yaml-cpp, and merely loading
// those libraries costs a process about 4 ms, several times what parsing a node_exporter payload
// takes, and ~10 MiB of memory, half of what parse-log needs for a 200 MB log. This executable links
// only the parsers (with --as-needed, so Qt is not even a dependency) and libstdc++ statically:
// `ldd pulsectl` shows libc and libm only. A parse-log with a regular expression (--pattern,
// --start-pattern) needs Qt's regex engine and goes to pulsectl-full.
#include "app/pulsectl/command.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

namespace {

// fullPath returns pulsectl-full's path: beside this executable.
std::string fullPath()
{
    char self[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return "pulsectl-full";
    std::string path(self, static_cast<std::size_t>(n));
    path.resize(path.rfind('/') + 1);
    return path + "pulsectl-full";
}

// refusePatterns stands in for the regex engine: parse-log runs here only without patterns.
pulse::Result<std::shared_ptr<const pulse::LinePattern>> refusePatterns(std::string_view)
{
    return pulse::fail("regular expressions are compiled by pulsectl-full");
}

} // namespace

int main(int argc, char **argv)
{
    if (argc >= 2 && std::string_view(argv[1]) == "parse-metrics") {
        const std::vector<std::string> words(argv + 2, argv + argc);
        return pulse::cli::cmdParseMetrics(words, std::cin, std::cout, std::cerr);
    }
    if (argc >= 2 && std::string_view(argv[1]) == "parse-log") {
        const std::vector<std::string> words(argv + 2, argv + argc);
        const bool patterns = std::any_of(words.begin(), words.end(), [](const std::string &w) {
            return w == "--pattern" || w == "--start-pattern";
        });
        if (!patterns)
            return pulse::cli::cmdParseLog(words, std::cout, std::cerr, &refusePatterns);
    }
    const std::string full = fullPath();
    ::execv(full.c_str(), argv);
    std::cerr << "pulsectl: cannot run " << full << ": " << std::strerror(errno) << '\n';
    return pulse::cli::kExitFailed;
}
