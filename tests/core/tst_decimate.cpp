// decimateMinMax: bounded output, spikes kept, gaps kept, small inputs untouched.
#include "core/plot/decimate.h"

#include <QTest>

#include <cmath>

using namespace pulse;

class TstDecimate : public QObject {
    Q_OBJECT
private slots:
    void smallInputUntouched();
    void boundedAndKeepsSpikes();
    void keepsGaps();
};

void TstDecimate::smallInputUntouched()
{
    std::vector<Point> pts{{0, 1}, {1, 2}, {2, 3}};
    QCOMPARE(decimateMinMax(pts, 0, 2, 100), pts);
}

void TstDecimate::boundedAndKeepsSpikes()
{
    std::vector<Point> pts;
    for (int i = 0; i < 100000; ++i)
        pts.push_back({double(i), i == 54321 ? 1e6 : (i == 12345 ? -1e6 : 1.0)});
    const auto out = decimateMinMax(pts, 0, 99999, 500);
    QVERIFY(out.size() <= 2000);
    QVERIFY(std::any_of(out.begin(), out.end(), [](const Point &p) { return p.y == 1e6 && p.x == 54321; }));
    QVERIFY(std::any_of(out.begin(), out.end(), [](const Point &p) { return p.y == -1e6 && p.x == 12345; }));
    QVERIFY(std::is_sorted(out.begin(), out.end(), [](const Point &a, const Point &b) { return a.x < b.x; }));
    QCOMPARE(out.front().x, 0.0);
    QCOMPARE(out.back().x, 99999.0);
}

void TstDecimate::keepsGaps()
{
    std::vector<Point> pts;
    for (int i = 0; i < 10000; ++i)
        pts.push_back({double(i), (i >= 5000 && i < 6000) ? std::nan("") : 1.0});
    const auto out = decimateMinMax(pts, 0, 9999, 100);
    QVERIFY(std::any_of(out.begin(), out.end(), [](const Point &p) { return std::isnan(p.y); }));
}

QTEST_APPLESS_MAIN(TstDecimate)
#include "tst_decimate.moc"
