// Decimation: never hand a chart more points than its pixels can show.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace pulse {

struct Point {
    double x = 0; ///< time in ms since epoch
    double y = 0;
    friend bool operator==(const Point &, const Point &) = default;
};

/// decimateMinMax keeps, for each of `buckets` equal x-intervals of [xMin, xMax], the first, min,
/// max and last point (in x order, duplicates removed), so spikes survive and the output has at most
/// 4 * buckets points. Input must be sorted by x. NaN values (gaps) are kept as single gap markers so
/// a line chart can break there. With fewer input points than the budget the input is returned as is.
std::vector<Point> decimateMinMax(std::span<const Point> points, double xMin, double xMax, int buckets);

} // namespace pulse
