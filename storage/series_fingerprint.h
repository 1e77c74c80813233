// SeriesFingerprint: a series' identity in 16 bytes — SipHash-2-4 with a 128-bit output (Aumasson and
// Bernstein) of its lookup key (series_key.h) under a random key chosen per process.
//
// Why a keyed 128-bit PRF and not the key itself: the writer must find a series' head from its
// identity for every series it holds (100k+), and the identities themselves (~150 bytes each, plus a
// hash node) were the largest thing in its memory after the heads. Two different series get the same
// fingerprint with probability 2^-128 per pair (about 10^-25 for ten million series), and because the
// key is secret and random, label values chosen by a hostile target cannot aim for a collision either.
#pragma once

#include <cstdint>
#include <string_view>

namespace pulse::storage {

struct SeriesFingerprint {
    std::uint64_t lo = 0;
    std::uint64_t hi = 0;
    friend bool operator==(const SeriesFingerprint &, const SeriesFingerprint &) = default;
};

/// SipKey is SipHash's 128-bit key as two little-endian words.
struct SipKey {
    std::uint64_t k0 = 0;
    std::uint64_t k1 = 0;
    /// random draws a key from the system's entropy source.
    static SipKey random();
};

/// sipHash128 is SipHash-2-4 with 128-bit output; lo holds output bytes 0-7 (little endian), hi 8-15.
SeriesFingerprint sipHash128(const SipKey &key, std::string_view data);

} // namespace pulse::storage
