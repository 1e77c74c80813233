// SipHash-2-4, 128-bit output (see series_fingerprint.h), written from the algorithm's description.
#include "storage/series_fingerprint.h"

#include <bit>
#include <cstring>
#include <random>

namespace pulse::storage {

namespace {

struct SipState {
    std::uint64_t v0, v1, v2, v3;

    void round()
    {
        v0 += v1;
        v1 = std::rotl(v1, 13);
        v1 ^= v0;
        v0 = std::rotl(v0, 32);
        v2 += v3;
        v3 = std::rotl(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = std::rotl(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = std::rotl(v1, 17);
        v1 ^= v2;
        v2 = std::rotl(v2, 32);
    }

    void compress(std::uint64_t m)
    {
        v3 ^= m;
        round();
        round();
        v0 ^= m;
    }

    std::uint64_t finish()
    {
        for (int i = 0; i < 4; ++i)
            round();
        return v0 ^ v1 ^ v2 ^ v3;
    }
};

std::uint64_t loadLittleEndian(const char *p, std::size_t n)
{
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i)
        v |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
    return v;
}

} // namespace

SipKey SipKey::random()
{
    std::random_device device;
    SipKey key;
    key.k0 = (std::uint64_t{device()} << 32) | device();
    key.k1 = (std::uint64_t{device()} << 32) | device();
    return key;
}

SeriesFingerprint sipHash128(const SipKey &key, std::string_view data)
{
    SipState s{key.k0 ^ 0x736f6d6570736575ULL, key.k1 ^ 0x646f72616e646f6dULL, key.k0 ^ 0x6c7967656e657261ULL,
               key.k1 ^ 0x7465646279746573ULL};
    s.v1 ^= 0xee; // the 128-bit variant
    const std::size_t whole = data.size() / 8 * 8;
    for (std::size_t i = 0; i < whole; i += 8)
        s.compress(loadLittleEndian(data.data() + i, 8));
    s.compress((std::uint64_t{data.size()} << 56) | loadLittleEndian(data.data() + whole, data.size() - whole));
    s.v2 ^= 0xee;
    SeriesFingerprint out;
    out.lo = s.finish();
    s.v1 ^= 0xdd;
    out.hi = s.finish();
    return out;
}

} // namespace pulse::storage
