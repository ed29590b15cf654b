#pragma once

#include "charts/AxisTicks.h"

#include <QRectF>

class QPainter;

namespace greenpulse::app {

struct JobReport;

// The power chart of a job's report, drawn with QPainter alone (not Qt Charts), so a PDF, a PNG
// and the screen show the same thing: each host's watts over the job's span in its colour and
// line style, broken at gaps, each gap marked under the curve in the host's colour, broker
// outages hatched, round time and value ticks (AxisTicks, format::tick), and a legend.
class JobReportChart
{
public:
    explicit JobReportChart(const JobReport &report) : m_report(report) {}

    // `plot`: the plot area (axes' labels go left of and under it); the legend goes under the
    // time labels, `legendHeight` at most.
    void paint(QPainter &painter, const QRectF &plot, double legendHeight) const;

private:
    void paintAxes(QPainter &painter, const QRectF &plot, const ValueTicks &watts) const;
    void paintLines(QPainter &painter, const QRectF &plot, double maxWatts) const;
    void paintSpans(QPainter &painter, const QRectF &plot) const;
    void paintLegend(QPainter &painter, const QRectF &area) const;
    double xOf(const QRectF &plot, double ms) const;

    const JobReport &m_report;
};

} // namespace greenpulse::app
