// Small helpers the collector tests share: gzip a body, read this process's resident memory.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <string>

namespace pulse::test {

/// gzipBytes compresses `in` as a gzip stream (what a server sends with Content-Encoding: gzip).
inline std::string gzipBytes(const std::string &in)
{
    z_stream zs{};
    deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&zs, static_cast<uLong>(in.size())), '\0');
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return out;
}

/// kAllowedRssGrowthMiB is how far resident memory may grow in a "stays bounded" check: AddressSanitizer
/// keeps freed blocks in a quarantine (256 MiB by default) before reusing them.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::int64_t kAllowedRssGrowthMiB = 64 + 256;
#else
constexpr std::int64_t kAllowedRssGrowthMiB = 64;
#endif

/// residentMiB is this process's resident memory (/proc/self/statm), for "memory stays bounded" checks.
inline std::int64_t residentMiB()
{
    std::ifstream statm("/proc/self/statm");
    long long pages = 0;
    long long resident = 0;
    statm >> pages >> resident;
    return resident * 4096 / (1 << 20);
}

} // namespace pulse::test
