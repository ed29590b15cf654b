// TimeChart, read back: the crosshair's text, and what is drawn (lines, runs, labels, axes) for
// the tests and the job report.
#include "charts/ChartBands.h"
#include "charts/ChartCrosshair.h"
#include "charts/ChartGapMarks.h"
#include "charts/ChartMarks.h"
#include "charts/ChartValueAxis.h"
#include "charts/SeriesRuns.h"
#include "charts/TimeChart.h"

#include <QCategoryAxis>
#include <QChart>
#include <QDateTime>
#include <QLineSeries>
#include <limits>

namespace greenpulse::app {

QString TimeChart::crosshairText(double xMs) const
{
    QStringList rows;
    rows << QStringLiteral("<b>%1</b>")
                .arg(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(xMs))
                         .toString(QStringLiteral("HH:mm:ss")));
    QStringList keys = m_lines.keys();
    keys.sort();
    for (const QString &key : std::as_const(keys)) {
        const Line &line = m_lines[key];
        if (m_hidden.contains(key)) {
            continue;
        }
        const ChartValueAxis &axis = yAxisFor(line.spec);
        QString value = QStringLiteral("–"); // in a gap, or outside the data
        for (const QVector<QPointF> &run : line.runs) {
            if (!run.isEmpty() && xMs >= run.constFirst().x() && xMs <= run.constLast().x()) {
                value = axis.valueText(
                    seriesruns::valueAt(run, xMs, std::numeric_limits<double>::infinity()));
            }
        }
        rows << QStringLiteral("<span style=\"color:%1\">■</span> %2: %3")
                    .arg(line.spec.color.name(), line.spec.label.toHtmlEscaped(), value);
    }
    for (const QString &job : m_bands->labelsAt(xMs)) {
        rows << QStringLiteral("▬ %1").arg(job.toHtmlEscaped());
    }
    return rows.join(QStringLiteral("<br>"));
}

void TimeChart::showCrosshair(double xMs)
{
    const QRectF plot = m_chart->plotArea();
    if (plot.width() <= 0 || m_toMs <= m_fromMs || xMs < m_fromMs || xMs > m_toMs) {
        hideCrosshair();
        return;
    }
    const double x = plot.left() + (xMs - m_fromMs) / (m_toMs - m_fromMs) * plot.width();
    m_crosshair->show(x, plot, crosshairText(xMs));
}

void TimeChart::hideCrosshair()
{
    m_crosshair->hide();
}

bool TimeChart::crosshairVisible() const
{
    return m_crosshair->isVisible();
}

QVector<QPointF> TimeChart::linePoints(const QString &key) const
{
    QVector<QPointF> out;
    for (const QVector<QPointF> &run : lineRuns(key)) {
        out += run;
    }
    return out;
}

QVector<QVector<QPointF>> TimeChart::lineRuns(const QString &key) const
{
    const auto it = m_lines.constFind(key);
    return it == m_lines.constEnd() ? QVector<QVector<QPointF>>() : it->runs;
}

QString TimeChart::lineLabel(const QString &key) const
{
    const auto it = m_lines.constFind(key);
    return it == m_lines.constEnd() ? QString() : it->spec.label;
}

QString TimeChart::legendText(const QString &key) const
{
    const auto it = m_lines.constFind(key);
    return it == m_lines.constEnd() ? QString() : it->segments.constFirst()->name();
}

int TimeChart::bandCount() const
{
    return m_bands->jobCount();
}

QStringList TimeChart::bandKeys() const
{
    return m_bands->jobKeys();
}

int TimeChart::outageCount() const
{
    return m_bands->outageCount();
}

QVector<QPointF> TimeChart::gapMarks() const
{
    return m_gapMarks->points();
}

QColor TimeChart::lineColor(const QString &key) const
{
    const auto it = m_lines.constFind(key);
    return it == m_lines.constEnd() ? QColor() : it->spec.color;
}

Qt::PenStyle TimeChart::linePenStyle(const QString &key) const
{
    const auto it = m_lines.constFind(key);
    return it == m_lines.constEnd() ? Qt::NoPen : it->segments.constFirst()->pen().style();
}

QStringList TimeChart::timeLabels() const
{
    return m_x->categoriesLabels();
}

QStringList TimeChart::valueLabels(bool secondary) const
{
    const ChartValueAxis *axis = secondary ? m_y2.get() : m_y.get();
    return axis ? axis->labels() : QStringList();
}

QString TimeChart::valueTitle(bool secondary) const
{
    const ChartValueAxis *axis = secondary ? m_y2.get() : m_y.get();
    return axis ? axis->title() : QString();
}

QRect TimeChart::plotRect() const
{
    return mapFromScene(m_chart->mapToScene(m_chart->plotArea())).boundingRect();
}

QString TimeChart::titleText() const
{
    return m_chart->title();
}

} // namespace greenpulse::app
