// Min/max-per-bucket decimation for line charts.
#include "core/plot/decimate.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace pulse {

std::vector<Point> decimateMinMax(std::span<const Point> points, double xMin, double xMax, int buckets)
{
    if (buckets <= 0 || points.size() <= static_cast<std::size_t>(buckets) * 4 || !(xMax > xMin))
        return {points.begin(), points.end()};
    std::vector<Point> out;
    out.reserve(static_cast<std::size_t>(buckets) * 4 + 2);
    const double width = (xMax - xMin) / buckets;
    const auto byX = [](const Point &p, double x) { return p.x < x; };
    auto first = points.begin();
    // Points left of the range form one bucket, then one per pixel column, then the rest: bucket
    // edges are found by binary search, so each point is only compared, never divided.
    for (int b = -1; b <= buckets && first != points.end(); ++b) {
        const auto last = b == buckets ? points.end()
                                       : std::lower_bound(first, points.end(), xMin + width * (b + 1), byX);
        if (first == last)
            continue;
        // One tight pass over values and indices: comparisons with NaN are false, so gaps never
        // become the minimum or maximum; they are only noted.
        const Point *base = &*first;
        const std::size_t n = static_cast<std::size_t>(last - first);
        double lo = std::numeric_limits<double>::infinity();
        double hi = -std::numeric_limits<double>::infinity();
        std::size_t loI = n;
        std::size_t hiI = n;
        bool gap = false;
        for (std::size_t i = 0; i < n; ++i) {
            const double y = base[i].y;
            gap |= y != y;
            if (y < lo) {
                lo = y;
                loI = i;
            }
            if (y > hi) {
                hi = y;
                hiI = i;
            }
        }
        const auto minIt = loI == n ? last : first + static_cast<std::ptrdiff_t>(loI);
        const auto maxIt = hiI == n ? last : first + static_cast<std::ptrdiff_t>(hiI);
        // First, min, max and last in x order; a bucket with a gap ends with a gap marker so the
        // line breaks there.
        std::array<decltype(first), 4> picks{first, minIt, maxIt, last - 1};
        std::sort(picks.begin(), picks.end(), [&](auto a, auto c) {
            return (a == last ? points.end() : a) < (c == last ? points.end() : c);
        });
        auto previous = last;
        for (auto p : picks) {
            if (p == last || p == previous || std::isnan(p->y))
                continue;
            previous = p;
            out.push_back(*p);
        }
        if (gap)
            out.push_back(Point{(last - 1)->x, std::nan("")});
        first = last;
    }
    return out;
}

} // namespace pulse
