// Readable axis units.
#include "widgets/unit_scale.h"

#include <array>
#include <cmath>

namespace pulse {

UnitScale chooseUnitScale(const QString &unit, double maxAbs)
{
    if (!std::isfinite(maxAbs))
        return {1, unit};
    const QString u = unit.trimmed().toLower();
    if (u == QLatin1String("bytes") || u == QLatin1String("b") || u == QLatin1String("byte")) {
        static const std::array<const char *, 6> names{"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double div = 1;
        std::size_t i = 0;
        while (i + 1 < names.size() && maxAbs >= div * 1024) {
            div *= 1024;
            ++i;
        }
        return {div, QString::fromLatin1(names[i])};
    }
    if (u == QLatin1String("s") || u == QLatin1String("seconds") || u == QLatin1String("second")) {
        if (maxAbs == 0 || maxAbs >= 1)
            return {1, QStringLiteral("s")};
        if (maxAbs >= 1e-3)
            return {1e-3, QStringLiteral("ms")};
        if (maxAbs >= 1e-6)
            return {1e-6, QStringLiteral("µs")};
        return {1e-9, QStringLiteral("ns")};
    }
    if (maxAbs >= 1e10)
        return {1e9, QStringLiteral("G ") + unit};
    if (maxAbs >= 1e7)
        return {1e6, QStringLiteral("M ") + unit};
    if (maxAbs >= 1e4)
        return {1e3, QStringLiteral("k ") + unit};
    return {1, unit};
}

} // namespace pulse
