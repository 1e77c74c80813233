// Legend names for a panel's series: only the labels that tell the series apart.
#pragma once

#include "core/base/labels.h"

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

/// legendNames with a template (a panel's `legend:`): `{{route}} {{status}}` puts each series'
/// label values in; `{{__name__}}` is the metric name; a missing label is empty. Values are inserted
/// as they are (the legend shows them as plain text). An empty template falls back to the above.
QStringList legendNames(const std::vector<NamedSeries> &series, const QString &legendTemplate);

} // namespace pulse
