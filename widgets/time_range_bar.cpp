// TimeRangeBar: a row of checkable buttons.
#include "widgets/time_range_bar.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

#include <array>

namespace pulse {
namespace {

struct Span {
    const char *label;
    std::int64_t ms;
    bool live;
};

constexpr std::array<Span, 6> kSpans{{{"Live", 5 * 60 * 1000LL, true},
                                      {"15m", 15 * 60 * 1000LL, false},
                                      {"1h", 3600 * 1000LL, false},
                                      {"6h", 6 * 3600 * 1000LL, false},
                                      {"24h", 24 * 3600 * 1000LL, false},
                                      {"7d", 7 * 24 * 3600 * 1000LL, false}}};

} // namespace

TimeRangeBar::TimeRangeBar(QWidget *parent) : QWidget(parent), m_group(new QButtonGroup(this)), m_spanMs(kSpans[0].ms)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Range:"), this));
    for (std::size_t i = 0; i < kSpans.size(); ++i) {
        auto *b = new QToolButton(this);
        b->setText(QString::fromLatin1(kSpans[i].label));
        b->setCheckable(true);
        b->setChecked(i == 0);
        m_group->addButton(b, static_cast<int>(i));
        layout->addWidget(b);
    }
    layout->addStretch(1);
    connect(m_group, &QButtonGroup::idClicked, this, &TimeRangeBar::select);
}

void TimeRangeBar::select(int index)
{
    if (index < 0 || index >= static_cast<int>(kSpans.size()))
        return;
    const auto &s = kSpans[static_cast<std::size_t>(index)];
    m_group->button(index)->setChecked(true);
    m_spanMs = s.ms;
    m_live = s.live;
    emit rangeChanged();
}

} // namespace pulse
