#pragma once

#include <QPointF>
#include <QVector>

namespace greenpulse::app {

// Where a line has no data it is broken, not drawn across: the processor appends a host's point
// every second only while its latest sample is within the gap bound, so a silent host or a broker
// outage leaves missing points. These split a series into its continuous runs.
namespace seriesruns {

// Points farther apart than both `minGapMs` and 2.5 times the spacing around them (the median of
// the neighbouring spacings, so an archived stretch at a coarser stride is not cut everywhere)
// start a new run. Each run keeps its points in order; the runs cover every point.
// The default `minGapMs` lets a processor tick come 2.5 s late (a loaded machine) unbroken.
QVector<QVector<QPointF>> split(const QVector<QPointF> &points, double minGapMs = 3500);

// At most the lowest and the highest point (in time order) of each of `columns` pixel columns of
// [fromMs, toMs], and the first and last points: the drawing looks the same, peaks included.
QVector<QPointF> decimated(const QVector<QPointF> &points, double fromMs, double toMs, int columns);

// `points` cut into pieces of at most `maxPoints` (at least 2), each piece starting at the last
// point of the one before, so that drawn one after the other they make the same line. Qt's
// software rasteriser fills a wide antialiased stroke in time that grows faster than its length
// (a noisy 600-point line of 2 px took ~17 ms, as 32-point pieces ~1.5 ms), so a chart draws a
// long line as several short series.
QVector<QVector<QPointF>> pieces(const QVector<QPointF> &points, int maxPoints);

// The value of `points` (sorted by x) at `xMs`: the nearest point at or before it, if within
// `holdMs`; NaN otherwise.
double valueAt(const QVector<QPointF> &points, double xMs, double holdMs);

} // namespace seriesruns

} // namespace greenpulse::app
