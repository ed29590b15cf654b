#include "charts/SeriesRuns.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace greenpulse::app::seriesruns {

namespace {
constexpr int kNeighbours = 4; // spacings looked at on each side of a candidate gap
constexpr double kGapFactor = 2.5;
} // namespace

QVector<QVector<QPointF>> split(const QVector<QPointF> &points, double minGapMs)
{
    QVector<QVector<QPointF>> runs;
    const int n = static_cast<int>(points.size());
    if (n == 0) {
        return runs;
    }
    auto spacing = [&](int i) { return points[i + 1].x() - points[i].x(); }; // i in [0, n-2]
    QVector<QPointF> run{points.constFirst()};
    double around[2 * kNeighbours];
    for (int i = 0; i + 1 < n; ++i) {
        const double dx = spacing(i);
        bool gap = dx > minGapMs;
        if (gap) {
            int count = 0;
            for (int j = std::max(0, i - kNeighbours); j <= std::min(n - 2, i + kNeighbours); ++j) {
                if (j != i) {
                    around[count++] = spacing(j);
                }
            }
            if (count > 0) {
                std::nth_element(around, around + count / 2, around + count);
                gap = dx > kGapFactor * around[count / 2];
            }
        }
        if (gap) {
            runs.append(std::move(run));
            run = {};
        }
        run.append(points[i + 1]);
    }
    runs.append(std::move(run));
    return runs;
}

QVector<QPointF> decimated(const QVector<QPointF> &points, double fromMs, double toMs, int columns)
{
    const int n = static_cast<int>(points.size());
    if (n <= 2 * columns + 2 || toMs <= fromMs) {
        return points;
    }
    const double columnMs = (toMs - fromMs) / columns;
    auto columnOf = [&](const QPointF &p) { return std::floor((p.x() - fromMs) / columnMs); };
    QVector<QPointF> out;
    out.reserve(2 * columns + 4);
    out.append(points.constFirst());
    for (int i = 1; i < n - 1;) {
        const double column = columnOf(points[i]);
        int low = i;
        int high = i;
        int j = i + 1;
        for (; j < n - 1 && columnOf(points[j]) == column; ++j) {
            low = points[j].y() < points[low].y() ? j : low;
            high = points[j].y() > points[high].y() ? j : high;
        }
        out.append(points[std::min(low, high)]);
        if (low != high) {
            out.append(points[std::max(low, high)]);
        }
        i = j;
    }
    out.append(points.constLast());
    return out;
}

QVector<QVector<QPointF>> pieces(const QVector<QPointF> &points, int maxPoints)
{
    const int n = static_cast<int>(points.size());
    const int step = std::max(2, maxPoints) - 1; // the new points of each piece
    QVector<QVector<QPointF>> out;
    if (n <= step + 1) {
        out.append(points);
        return out;
    }
    out.reserve((n - 2) / step + 1);
    for (int begin = 0; begin < n - 1; begin += step) {
        out.append(points.mid(begin, std::min(step + 1, n - begin)));
    }
    return out;
}

double valueAt(const QVector<QPointF> &points, double xMs, double holdMs)
{
    auto after = std::upper_bound(points.cbegin(), points.cend(), xMs,
                                  [](double x, const QPointF &p) { return x < p.x(); });
    if (after == points.cbegin()) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    const QPointF &p = *(after - 1);
    return xMs - p.x() <= holdMs ? p.y() : std::numeric_limits<double>::quiet_NaN();
}

} // namespace greenpulse::app::seriesruns
