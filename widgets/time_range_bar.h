// TimeRangeBar: the shared time range of all panels — Live or a fixed span ending now.
#pragma once

#include <QWidget>

#include <cstdint>

class QButtonGroup;

namespace pulse {

/// TimeRangeBar offers Live (last 5 minutes, following now) and fixed spans. Every panel uses it.
class TimeRangeBar : public QWidget {
    Q_OBJECT
public:
    explicit TimeRangeBar(QWidget *parent = nullptr);

    /// spanMs is the length of the visible range.
    std::int64_t spanMs() const { return m_spanMs; }
    bool live() const { return m_live; }
    /// select picks a span by its button index (0 = Live).
    void select(int index);

signals:
    void rangeChanged();

private:
    QButtonGroup *m_group;
    std::int64_t m_spanMs;
    bool m_live = true;
};

} // namespace pulse
