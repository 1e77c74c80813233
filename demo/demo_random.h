// Deterministic randomness for the demo simulation: a seeded xoshiro256** stream plus stateless,
// time-keyed noise. Own generators rather than <random> distributions, whose algorithms differ between
// standard libraries, so a seed means the same traffic everywhere.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <span>

namespace pulse::demo {

/// mixBits is the SplitMix64 finalizer: a cheap, well-spread hash of one 64-bit word.
constexpr std::uint64_t mixBits(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/// hashUnit maps (seed, channel, key) to a uniform double in [0, 1) without any state.
inline double hashUnit(std::uint64_t seed, std::uint64_t channel, std::uint64_t key)
{
    const std::uint64_t h = mixBits(mixBits(seed ^ mixBits(channel)) ^ key);
    return double(h >> 11) * 0x1.0p-53;
}

/// smoothNoise is value noise in [-1, 1] that changes smoothly with atMs, one knot per periodMs.
/// It depends only on its arguments, so const queries (health at any instant) can use it.
inline double smoothNoise(std::uint64_t seed, std::uint64_t channel, std::int64_t atMs, std::int64_t periodMs)
{
    std::int64_t knot = atMs / periodMs;
    std::int64_t offset = atMs % periodMs;
    if (offset < 0) {
        knot -= 1;
        offset += periodMs;
    }
    const double a = hashUnit(seed, channel, std::uint64_t(knot)) * 2 - 1;
    const double b = hashUnit(seed, channel, std::uint64_t(knot + 1)) * 2 - 1;
    const double t = double(offset) / double(periodMs);
    const double s = t * t * (3 - 2 * t);
    return a + (b - a) * s;
}

/// DemoRandom is a xoshiro256** generator seeded through SplitMix64.
class DemoRandom {
public:
    explicit DemoRandom(std::uint64_t seed)
    {
        std::uint64_t x = seed;
        for (auto &word : m_state) {
            x += 0x9e3779b97f4a7c15ULL;
            word = mixBits(x);
        }
    }

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
        const std::uint64_t t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }

    /// uniform is in [0, 1).
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    bool chance(double probability) { return uniform() < probability; }
    /// index is in [0, count); count must be positive.
    std::size_t index(std::size_t count) { return std::size_t(uniform() * double(count)) % count; }

    /// normal is a standard normal deviate (Box–Muller; the second value is dropped for simplicity).
    double normal()
    {
        const double u1 = 1.0 - uniform();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }

    /// exponential has the given mean.
    double exponential(double mean) { return -mean * std::log(1.0 - uniform()); }

    /// roundStochastic rounds x (>= 0) up with probability frac(x), so sums of roundings stay unbiased.
    std::uint64_t roundStochastic(double x)
    {
        if (!(x > 0))
            return 0;
        return std::uint64_t(std::floor(x + uniform()));
    }

    /// weightedIndex picks an index with probability proportional to its weight; weights must not all be 0.
    std::size_t weightedIndex(std::span<const double> weights)
    {
        double total = 0;
        for (double w : weights)
            total += w;
        double pick = uniform() * total;
        for (std::size_t i = 0; i < weights.size(); ++i) {
            if (pick < weights[i])
                return i;
            pick -= weights[i];
        }
        return weights.size() - 1;
    }

private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

    std::uint64_t m_state[4] = {};
};

} // namespace pulse::demo
