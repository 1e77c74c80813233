// UnitScale: pick a readable multiple for a value axis (bytes → MiB, seconds → ms, …).
#pragma once

#include <QString>

namespace pulse {

struct UnitScale {
    double divisor = 1; ///< divide values by this before plotting
    QString label;      ///< the axis title to show, e.g. "MiB" or "ms"
};

/// chooseUnitScale picks a scale for values up to `maxAbs` in `unit`. Units it knows: bytes (binary
/// multiples), s / seconds (ns … s), and anything else with SI prefixes only when values are huge
/// ("req/s" stays "req/s" up to 10k, then "k req/s").
UnitScale chooseUnitScale(const QString &unit, double maxAbs);

} // namespace pulse
