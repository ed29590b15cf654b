#include "widgets/JobReportChart.h"

#include "charts/ChartPalette.h"
#include "charts/SeriesRuns.h"
#include "runtime/Format.h"
#include "widgets/JobReport.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>

namespace greenpulse::app {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("JobReportChart", text);
}

const QColor kAxis(0x60, 0x60, 0x60);
const QColor kGrid(0xe4, 0xe4, 0xe4);
const QColor kText(0x20, 0x20, 0x20);
constexpr double kLineWidth = 3;
constexpr double kGapMarkHeight = 5;

QFont font(double pixels)
{
    QFont f;
    f.setPixelSize(static_cast<int>(pixels));
    return f;
}

} // namespace

double JobReportChart::xOf(const QRectF &plot, double ms) const
{
    const double span = std::max(1.0, m_report.toMs - m_report.fromMs);
    return plot.left() + (ms - m_report.fromMs) / span * plot.width();
}

void JobReportChart::paint(QPainter &painter, const QRectF &plot, double legendHeight) const
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    double peak = 0;
    for (const JobReport::Host &host : m_report.hosts) {
        peak = std::max(peak, host.peakWatts);
    }
    const ValueTicks ticks = valueTicks(0, peak > 0 ? peak * 1.05 : 1, 5);
    paintAxes(painter, plot, ticks);
    paintSpans(painter, plot);
    if (m_report.hasSeries) {
        paintLines(painter, plot, ticks.max);
    } else {
        painter.setPen(kAxis);
        painter.setFont(font(13));
        painter.drawText(plot.adjusted(20, 0, -20, 0), Qt::AlignCenter | Qt::TextWordWrap,
                         tr("No power curve: the dashboard holds no chart points of this span "
                            "(it started after the job, or the job ended before)."));
    }
    paintLegend(painter, QRectF(plot.left(), plot.bottom() + 26, plot.width(), legendHeight));
    painter.restore();
}

void JobReportChart::paintAxes(QPainter &painter, const QRectF &plot, const ValueTicks &watts) const
{
    const format::Scale scale = format::scaleFor(format::Quantity::Power, watts.max);
    painter.setFont(font(11));
    const double step = watts.step / scale.divisor;
    for (double v : watts.values) {
        const double y = plot.bottom() - (v - watts.min) / (watts.max - watts.min) * plot.height();
        painter.setPen(QPen(kGrid, 1));
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        painter.setPen(kAxis);
        painter.drawText(QRectF(plot.left() - 64, y - 8, 58, 16), Qt::AlignRight | Qt::AlignVCenter,
                         format::tick(v / scale.divisor, step));
    }
    painter.drawText(QRectF(plot.left() - 64, plot.top() - 24, 120, 16),
                     Qt::AlignLeft | Qt::AlignVCenter, scale.unit);
    const qint64 offsetMs = QDateTime::currentDateTime().offsetFromUtc() * 1000LL;
    const TimeTicks times = timeTicks(m_report.fromMs, m_report.toMs, 8, offsetMs);
    for (double t : times.at) {
        const double x = xOf(plot, t);
        painter.setPen(QPen(kGrid, 1));
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        painter.setPen(kAxis);
        painter.drawText(
            QRectF(x - 50, plot.bottom() + 4, 100, 16), Qt::AlignCenter,
            QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(t)).toString(times.format));
    }
    painter.setPen(QPen(kAxis, 1.2));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(plot);
}

void JobReportChart::paintSpans(QPainter &painter, const QRectF &plot) const
{
    painter.setPen(Qt::NoPen);
    for (const JobReport::Span &outage : m_report.outages) {
        const QRectF band(QPointF(xOf(plot, outage.fromMs), plot.top()),
                          QPointF(xOf(plot, outage.toMs), plot.bottom()));
        painter.setBrush(QBrush(ChartPalette::othersColor(), Qt::BDiagPattern));
        painter.drawRect(band);
    }
    // Each gap: a bar just above the time axis in its host's colour, one row per host.
    for (const JobReport::Span &gap : m_report.gaps) {
        int row = 0;
        QColor color = ChartPalette::othersColor();
        for (const JobReport::Host &host : m_report.hosts) {
            if (host.name == gap.host) {
                color = host.color;
                break;
            }
            ++row;
        }
        const double y = plot.bottom() - (row % 8 + 1) * (kGapMarkHeight + 2);
        color.setAlpha(150);
        painter.setBrush(color);
        painter.drawRect(QRectF(QPointF(xOf(plot, gap.fromMs), y),
                                QPointF(xOf(plot, gap.toMs), y + kGapMarkHeight)));
    }
}

void JobReportChart::paintLines(QPainter &painter, const QRectF &plot, double maxWatts) const
{
    painter.save();
    painter.setClipRect(plot);
    painter.setBrush(Qt::NoBrush);
    const int columns = static_cast<int>(plot.width());
    const auto map = [&](const QPointF &p) {
        return QPointF(xOf(plot, p.x()), plot.bottom() - p.y() / maxWatts * plot.height());
    };
    for (const JobReport::Host &host : m_report.hosts) {
        QPen pen(host.color, kLineWidth, host.penStyle, Qt::FlatCap, Qt::RoundJoin);
        painter.setPen(pen);
        for (const QVector<QPointF> &run : host.runs) {
            const QVector<QPointF> points =
                seriesruns::decimated(run, m_report.fromMs, m_report.toMs, columns);
            if (points.size() == 1) {
                painter.drawPoint(map(points.front()));
                continue;
            }
            QPolygonF line;
            line.reserve(points.size());
            for (const QPointF &p : points) {
                line << map(p);
            }
            painter.drawPolyline(line);
        }
    }
    painter.restore();
}

void JobReportChart::paintLegend(QPainter &painter, const QRectF &area) const
{
    painter.setFont(font(12));
    const double entryWidth = 220;
    const double rowHeight = 18;
    const int perRow = std::max(1, static_cast<int>(area.width() / entryWidth));
    const int rows = std::max(1, static_cast<int>(area.height() / rowHeight));
    const int count = static_cast<int>(m_report.hosts.size());
    const int shown = count > perRow * rows ? perRow * rows - 1 : count;
    for (int i = 0; i < shown; ++i) {
        const JobReport::Host &host = m_report.hosts[static_cast<size_t>(i)];
        const double x = area.left() + (i % perRow) * entryWidth;
        const double y = area.top() + (i / perRow) * rowHeight + rowHeight / 2;
        painter.setPen(QPen(host.color, kLineWidth, host.penStyle, Qt::FlatCap));
        painter.drawLine(QPointF(x, y), QPointF(x + 26, y));
        painter.setPen(kText);
        const QString label = host.points > 0
                                  ? tr("%1  mean %2").arg(host.name, format::watts(host.meanWatts))
                                  : tr("%1  no samples").arg(host.name);
        painter.drawText(QRectF(x + 32, y - rowHeight / 2, entryWidth - 38, rowHeight),
                         Qt::AlignLeft | Qt::AlignVCenter,
                         painter.fontMetrics().elidedText(label, Qt::ElideRight,
                                                          static_cast<int>(entryWidth - 38)));
    }
    if (shown < count) {
        const double x = area.left() + (shown % perRow) * entryWidth;
        const double y = area.top() + (shown / perRow) * rowHeight;
        painter.setPen(kAxis);
        painter.drawText(QRectF(x, y, entryWidth, rowHeight), Qt::AlignLeft | Qt::AlignVCenter,
                         tr("and %1 more hosts (all in the CSV)").arg(count - shown));
    }
}

} // namespace greenpulse::app
