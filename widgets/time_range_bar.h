// TimeRangeBar: the shared time range of all panels — Live, a span ending now, or a fixed from–to;
// and an optional comparison with the previous day or week.
#pragma once

#include <QWidget>

#include <cstdint>
#include <utility>

class QButtonGroup;
class QComboBox;
class QLabel;

namespace pulse {

/// TimeRangeBar owns the dashboard's time range. Live (last 5 minutes, following now) and the
/// fixed spans end at "now" on every refresh; a zoom or pan on a chart makes it a fixed from–to range
/// (setCustomRange) until a span button or Live is chosen again.
class TimeRangeBar : public QWidget {
    Q_OBJECT
public:
    explicit TimeRangeBar(QWidget *parent = nullptr);

    /// range is the visible [start, end] for a refresh happening at `nowMs`.
    std::pair<std::int64_t, std::int64_t> range(std::int64_t nowMs) const;
    std::int64_t spanMs() const { return m_spanMs; }
    /// live is true while the range follows now (Live or a span button).
    bool live() const { return m_live; }
    bool custom() const { return m_custom; }
    /// compareOffsetMs is 0, one day or one week: overlay the same range that long ago.
    std::int64_t compareOffsetMs() const;

    /// select picks a span by its button index (0 = Live).
    void select(int index);
    /// spanIndex is the button index of a span's label ("Live", "5m", "15m", "1h", "6h", "24h", "7d",
    /// "30d"), or -1.
    static int spanIndex(const QString &label);
    /// spanLabels lists them in display order (for messages).
    static QString spanLabels();
    /// setCustomRange fixes the range to [startMs, endMs] (zoom, pan, or a typed range).
    void setCustomRange(std::int64_t startMs, std::int64_t endMs);
    void setCompareIndex(int index);

signals:
    void rangeChanged();

private:
    QButtonGroup *m_group;
    QComboBox *m_compare;
    QLabel *m_customLabel;
    std::int64_t m_spanMs;
    bool m_live = true;
    bool m_custom = false;
    std::int64_t m_customStart = 0;
    std::int64_t m_customEnd = 0;
    int m_selected = 0;
};

} // namespace pulse
