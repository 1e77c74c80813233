// pulsectl's entry point: runs `parse-metrics` itself and hands every other command to pulsectl-full
// (main.cpp), the build of pulsectl with every subcommand, by exec'ing it from the same directory.
//
// Why two executables: the other subcommands need Qt, OpenSSL, SQLite and yaml-cpp, and merely loading
// those libraries costs a process about 4 ms, several times what parsing a node_exporter payload
// takes. This executable links only the parser (with --as-needed, so Qt is not even a dependency) and
// libstdc++ statically: `ldd pulsectl` shows libc and libm only.
#include "app/pulsectl/command.h"

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

} // namespace

int main(int argc, char **argv)
{
    if (argc >= 2 && std::string_view(argv[1]) == "parse-metrics") {
        const std::vector<std::string> words(argv + 2, argv + argc);
        return pulse::cli::cmdParseMetrics(words, std::cin, std::cout, std::cerr);
    }
    const std::string full = fullPath();
    ::execv(full.c_str(), argv);
    std::cerr << "pulsectl: cannot run " << full << ": " << std::strerror(errno) << '\n';
    return pulse::cli::kExitFailed;
}
