// EventLoopProbe: timer lateness on the GUI thread (see event_loop_probe.h).
#include "app/services/event_loop_probe.h"

#include <QTimer>

#include <algorithm>

namespace pulse {

EventLoopProbe::EventLoopProbe(int intervalMs, QObject *parent)
    : QObject(parent), m_timer(new QTimer(this)), m_intervalMs(intervalMs)
{
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &EventLoopProbe::tick);
    m_clock.start();
    m_lastTickMs = m_clock.elapsed();
    m_timer->start(intervalMs);
}

double EventLoopProbe::takeMaxLagMs()
{
    return m_maxLagMs.exchange(0);
}

void EventLoopProbe::tick()
{
    const qint64 now = m_clock.elapsed();
    const double lag = static_cast<double>(std::max<qint64>(0, now - m_lastTickMs - m_intervalMs));
    m_lastTickMs = now;
    double seen = m_maxLagMs.load();
    while (lag > seen && !m_maxLagMs.compare_exchange_weak(seen, lag)) {
    }
}

} // namespace pulse
