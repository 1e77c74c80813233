// chart_bench: GUI frame costs, run offscreen.
//   1. one ChartPanel fed 10M points of one series: time to decimate and draw a frame;
//   2. 24 live panels updated every second for N seconds: GUI-thread CPU share and event-loop
//      latency measured by a 5 ms timer probe (how late its timeouts fire).
// Prints key=value lines for scripts/bench; PULSE_BENCH_TRACE=1 also prints each late probe and
// the time each burst of 24 answers takes to hand over, to stderr.
#include "widgets/chart_panel.h"
#include "widgets/dashboard_view.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPixmap>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace pulse;

namespace {

double threadCpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_THREAD, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

PanelData bigSeries(std::size_t points, std::int64_t startMs)
{
    PanelData d;
    d.startMs = startMs;
    d.endMs = startMs + static_cast<std::int64_t>(points);
    PlotSeries s;
    s.name = QStringLiteral("{series=\"big\"}");
    s.points.resize(points);
    for (std::size_t i = 0; i < points; ++i)
        s.points[i] = Point{static_cast<double>(startMs + static_cast<std::int64_t>(i)),
                            std::sin(static_cast<double>(i) / 5000.0) * 100 + static_cast<double>(i % 97)};
    d.series.push_back(std::move(s));
    return d;
}

PanelData livePanel(int panel, std::int64_t nowMs)
{
    PanelData d;
    d.panelIndex = panel;
    d.startMs = nowMs - 300'000;
    d.endMs = nowMs;
    for (int s = 0; s < 4; ++s) {
        PlotSeries series;
        series.name = QStringLiteral("{instance=\"host-%1\"}").arg(s);
        for (std::int64_t t = d.startMs; t <= d.endMs; t += 1000)
            series.points.push_back(Point{static_cast<double>(t), std::sin(static_cast<double>(t) / 7e4 + s) * 10 + 20});
        d.series.push_back(std::move(series));
    }
    return d;
}

} // namespace

// One run, step by step, in the order it prints: the steps share the window, the panels and the
// timers, and reading them top to bottom is the point of a benchmark, so main stays whole.
int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    const int seconds = argc > 1 ? std::atoi(argv[1]) : 20;

    // 1. 10M points, one series.
    ChartPanel panel(QStringLiteral("big"), QStringList{QStringLiteral("x")}, QStringLiteral("s"));
    panel.resize(1200, 400);
    panel.show();
    std::vector<double> frames;
    for (int i = 0; i < 5; ++i) {
        PanelData big = bigSeries(10'000'000, 1'800'000'000'000); // built outside the timed frame
        QElapsedTimer t;
        t.start();
        panel.setData(std::move(big));
        (void)panel.grab(); // force a real paint of the frame
        frames.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    std::sort(frames.begin(), frames.end());
    std::printf("big_points=10000000\nbig_points_drawn=%lld\nbig_frame_ms_median=%.1f\nbig_frame_ms_max=%.1f\n",
                static_cast<long long>(panel.pointCount(0)), frames[frames.size() / 2], frames.back());

    // 2. 24 live panels at 1 s.
    DashboardConfig cfg;
    cfg.name = "bench";
    for (int i = 0; i < 24; ++i) {
        PanelConfig p;
        p.title = "panel " + std::to_string(i);
        p.exprs = {"x"};
        cfg.panels.push_back(p);
    }
    DashboardView view;
    view.resize(1600, 3000);
    view.setDashboard(cfg);
    view.show();
    std::int64_t now = 1'800'000'000'000;
    QTimer update;
    QObject::connect(&update, &QTimer::timeout, [&] {
        now += 1000;
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < 24; ++i)
            view.applyData(livePanel(i, now));
        if (std::getenv("PULSE_BENCH_TRACE"))
            std::fprintf(stderr, "applyData x24: %.1f ms\n", static_cast<double>(t.nsecsElapsed()) / 1e6);
    });
    QElapsedTimer probeClock;
    probeClock.start();
    qint64 lastProbe = 0;
    std::vector<double> lateness;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 t = probeClock.nsecsElapsed();
        if (lastProbe) {
            lateness.push_back(std::max(0.0, static_cast<double>(t - lastProbe) / 1e6 - 5.0));
            if (std::getenv("PULSE_BENCH_TRACE") && lateness.back() > 16)
                std::fprintf(stderr, "late %.1f ms at %.3f s\n", lateness.back(), static_cast<double>(t) / 1e9);
        }
        lastProbe = t;
    });
    // The first two updates lay out 24 charts from scratch; measure the steady state after them.
    double cpu0 = 0;
    QElapsedTimer wall;
    update.start(1000);
    QTimer::singleShot(2500, &app, [&] {
        cpu0 = threadCpuSeconds();
        wall.start();
        probeClock.restart();
        probe.start(5);
        QTimer::singleShot(seconds * 1000, &app, &QApplication::quit);
    });
    QApplication::exec();
    const double cpu = threadCpuSeconds() - cpu0;
    const double wallSeconds = static_cast<double>(wall.nsecsElapsed()) / 1e9;
    std::sort(lateness.begin(), lateness.end());
    const auto pct = [&](double q) { return lateness.empty() ? 0.0 : lateness[static_cast<std::size_t>(q * (lateness.size() - 1))]; };
    const auto over16 = std::count_if(lateness.begin(), lateness.end(), [](double ms) { return ms > 16.0; });
    std::printf("live_panels=24\nlive_seconds=%.0f\nlive_gui_cpu_percent=%.1f\nlive_loop_latency_ms_p50=%.2f\n"
                "live_loop_latency_ms_p99=%.2f\nlive_loop_latency_ms_max=%.2f\nlive_loop_probes=%zu\n"
                "live_loop_probes_late_over_16ms=%ld\n",
                wallSeconds, 100.0 * cpu / wallSeconds, pct(0.5), pct(0.99), pct(1.0), lateness.size(),
                static_cast<long>(over16));
    return 0;
}
