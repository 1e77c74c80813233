// Legend names for a panel's series: only the labels that tell the series apart.
#pragma once

#include "core/labels.h"

#include <QString>
#include <QStringList>

#include <string>
#include <vector>

namespace pulse {

struct NamedSeries {
    std::string metric; ///< empty when the expression dropped the name
    Labels labels;
};

/// legendNames names each series by the labels whose values differ between the series, as Grafana's
/// default legend does: `{status="500"}` rather than `{instance="…",job="…",status="500"}`. A single
/// series, or one that nothing tells apart, is named by its full identity.
QStringList legendNames(const std::vector<NamedSeries> &series);

} // namespace pulse
