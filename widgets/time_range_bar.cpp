// TimeRangeBar: span buttons, a custom range label, and the compare-with selector.
#include "widgets/time_range_bar.h"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QStringList>
#include <QToolButton>

#include <array>

namespace pulse {
namespace {

struct Span {
    const char *label;
    std::int64_t ms;
};

constexpr std::int64_t kMinute = 60 * 1000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;
constexpr std::array<Span, 8> kSpans{{{"Live", 5 * kMinute},
                                      {"5m", 5 * kMinute},
                                      {"1h", 60 * kMinute},
                                      {"6h", 6 * 60 * kMinute},
                                      {"24h", kDay},
                                      {"7d", 7 * kDay},
                                      {"30d", 30 * kDay},
                                      {"15m", 15 * kMinute}}};
// Display order: Live, 5m, 15m, 1h, 6h, 24h, 7d, 30d.
constexpr std::array<int, 8> kOrder{0, 1, 7, 2, 3, 4, 5, 6};

} // namespace

TimeRangeBar::TimeRangeBar(QWidget *parent)
    : QWidget(parent), m_group(new QButtonGroup(this)), m_compare(new QComboBox(this)),
      m_customLabel(new QLabel(this)), m_spanMs(kSpans[0].ms)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Range:"), this));
    for (int index : kOrder) {
        auto *b = new QToolButton(this);
        b->setText(QString::fromLatin1(kSpans[static_cast<std::size_t>(index)].label));
        b->setCheckable(true);
        b->setChecked(index == 0);
        b->setObjectName(QStringLiteral("range_") + b->text());
        m_group->addButton(b, index);
        layout->addWidget(b);
    }
    m_customLabel->setTextFormat(Qt::PlainText);
    layout->addWidget(m_customLabel);
    layout->addStretch(1);
    layout->addWidget(new QLabel(tr("Compare with:"), this));
    m_compare->addItems({tr("nothing"), tr("previous day"), tr("previous week")});
    m_compare->setObjectName(QStringLiteral("compare"));
    layout->addWidget(m_compare);
    connect(m_group, &QButtonGroup::idClicked, this, &TimeRangeBar::select);
    connect(m_compare, &QComboBox::currentIndexChanged, this, &TimeRangeBar::rangeChanged);
}

int TimeRangeBar::spanIndex(const QString &label)
{
    for (std::size_t i = 0; i < kSpans.size(); ++i) {
        if (label.compare(QLatin1String(kSpans[i].label), Qt::CaseInsensitive) == 0)
            return static_cast<int>(i);
    }
    return -1;
}

QString TimeRangeBar::spanLabels()
{
    QStringList labels;
    for (int index : kOrder)
        labels << QString::fromLatin1(kSpans[static_cast<std::size_t>(index)].label);
    return labels.join(QStringLiteral(", "));
}

void TimeRangeBar::select(int index)
{
    if (index < 0 || index >= static_cast<int>(kSpans.size()))
        return;
    m_group->setExclusive(true);
    m_group->button(index)->setChecked(true);
    m_selected = index;
    m_spanMs = kSpans[static_cast<std::size_t>(index)].ms;
    m_live = true;
    m_custom = false;
    m_customLabel->clear();
    emit rangeChanged();
}

void TimeRangeBar::setCustomRange(std::int64_t startMs, std::int64_t endMs)
{
    if (endMs <= startMs)
        return;
    m_custom = true;
    m_live = false;
    m_customStart = startMs;
    m_customEnd = endMs;
    m_spanMs = endMs - startMs;
    // No span button describes a custom range.
    m_group->setExclusive(false);
    for (auto *b : m_group->buttons())
        b->setChecked(false);
    const QString fmt = QStringLiteral("yyyy-MM-dd HH:mm:ss");
    m_customLabel->setText(QStringLiteral("%1 – %2").arg(QDateTime::fromMSecsSinceEpoch(startMs).toString(fmt),
                                                          QDateTime::fromMSecsSinceEpoch(endMs).toString(fmt)));
    emit rangeChanged();
}

std::pair<std::int64_t, std::int64_t> TimeRangeBar::range(std::int64_t nowMs) const
{
    if (m_custom)
        return {m_customStart, m_customEnd};
    return {nowMs - m_spanMs, nowMs};
}

std::int64_t TimeRangeBar::compareOffsetMs() const
{
    switch (m_compare->currentIndex()) {
    case 1: return kDay;
    case 2: return 7 * kDay;
    default: return 0;
    }
}

void TimeRangeBar::setCompareIndex(int index)
{
    m_compare->setCurrentIndex(index);
}

} // namespace pulse
