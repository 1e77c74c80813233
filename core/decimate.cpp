// Min/max-per-bucket decimation for line charts.
#include "core/decimate.h"

#include <algorithm>
#include <cmath>

namespace pulse {

std::vector<Point> decimateMinMax(std::span<const Point> points, double xMin, double xMax, int buckets)
{
    if (buckets <= 0 || points.size() <= static_cast<std::size_t>(buckets) * 4 || !(xMax > xMin))
        return {points.begin(), points.end()};
    std::vector<Point> out;
    out.reserve(static_cast<std::size_t>(buckets) * 4);
    const double width = (xMax - xMin) / buckets;
    std::size_t i = 0;
    while (i < points.size()) {
        const long bucket = static_cast<long>(std::floor((points[i].x - xMin) / width));
        std::size_t j = i;
        std::size_t minI = i, maxI = i;
        bool gap = false;
        while (j < points.size() && static_cast<long>(std::floor((points[j].x - xMin) / width)) == bucket) {
            if (std::isnan(points[j].y)) {
                gap = true;
            } else {
                if (std::isnan(points[minI].y) || points[j].y < points[minI].y)
                    minI = j;
                if (std::isnan(points[maxI].y) || points[j].y > points[maxI].y)
                    maxI = j;
            }
            ++j;
        }
        std::size_t picks[4] = {i, minI, maxI, j - 1};
        std::sort(std::begin(picks), std::end(picks));
        std::size_t last = points.size();
        for (std::size_t p : picks) {
            if (p == last)
                continue;
            last = p;
            if (std::isnan(points[p].y) && !gap)
                continue;
            out.push_back(points[p]);
        }
        if (gap && (out.empty() || !std::isnan(out.back().y)))
            out.push_back(Point{points[j - 1].x, std::nan("")});
        i = j;
    }
    return out;
}

} // namespace pulse
