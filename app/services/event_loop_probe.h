// EventLoopProbe: how late the GUI thread's event loop runs a timer — the lag a user feels as a
// stuck window. Reported as the self-metric pulse_gui_event_loop_lag_seconds.
#pragma once

#include <QElapsedTimer>
#include <QObject>

#include <atomic>

class QTimer;

namespace pulse {

/// EventLoopProbe fires a timer every intervalMs on the thread it lives on and records how much later
/// than asked each tick arrived.
///
/// Threading: lives on the GUI thread; takeMaxLagMs() may be called from any thread.
class EventLoopProbe : public QObject {
    Q_OBJECT
public:
    explicit EventLoopProbe(int intervalMs = 100, QObject *parent = nullptr);

    /// takeMaxLagMs returns the worst lateness since the last call, and starts over.
    double takeMaxLagMs();

private:
    void tick();

    QTimer *m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastTickMs = 0;
    int m_intervalMs;
    std::atomic<double> m_maxLagMs{0};
};

} // namespace pulse
