#include "charts/TimeChart.h"

#include <QAreaSeries>
#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QSet>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <limits>

namespace greenpulse::app {

namespace {

// Removes from the chart, and deletes, the series of `shown` whose key no item of `wanted` has.
template <typename Series, typename Item>
void removeSeriesNotIn(QChart *chart, QHash<QString, Series *> &shown, const QVector<Item> &wanted)
{
    QSet<QString> keys;
    for (const Item &item : wanted) {
        keys.insert(item.key);
    }
    for (auto it = shown.begin(); it != shown.end();) {
        if (keys.contains(it.key())) {
            ++it;
            continue;
        }
        chart->removeSeries(it.value());
        delete it.value();
        it = shown.erase(it);
    }
}

// At most the lowest and the highest point (in time order) of each pixel column of the plot, and
// the first and last points: the drawing looks the same, peaks included, and Qt Charts maps and
// paints a few hundred points per line instead of thousands.
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

// QValueAxis::applyNiceNumbers() without its cost: it sets the raw range and then the nice one,
// and each change makes Qt Charts recompute every series. Here the nice range (the same
// "loose" rounding) is computed first and set only when it differs from the axis's.
double niceNumber(double x, bool ceiling)
{
    const double z = std::pow(10.0, std::floor(std::log10(x)));
    double q = x / z;
    if (ceiling) {
        q = q <= 1.0 ? 1.0 : q <= 2.0 ? 2.0 : q <= 5.0 ? 5.0 : 10.0;
    } else {
        q = q < 1.5 ? 1.0 : q < 3.0 ? 2.0 : q < 7.0 ? 5.0 : 10.0;
    }
    return q * z;
}

void setNiceRange(QValueAxis *axis, double low, double high)
{
    constexpr int kTicks = 5;
    const double range = niceNumber(high - low, true);
    const double step = niceNumber(range / (kTicks - 1), false);
    const double niceLow = std::floor(low / step) * step;
    const double niceHigh = std::ceil(high / step) * step;
    const int ticks = static_cast<int>(std::lround((niceHigh - niceLow) / step)) + 1;
    if (niceLow != axis->min() || niceHigh != axis->max()) {
        axis->setRange(niceLow, niceHigh);
    }
    if (ticks != axis->tickCount()) {
        axis->setTickCount(ticks);
    }
}
} // namespace

TimeChart::TimeChart(const QString &title, const QString &unit, QWidget *parent)
    : QChartView(parent), m_title(title)
{
    m_chart = new QChart;
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setBackgroundRoundness(6);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->legend()->setMarkerShape(QLegend::MarkerShapeCircle);
    QFont legendFont = font();
    legendFont.setPointSizeF(legendFont.pointSizeF() * 0.85);
    m_chart->legend()->setFont(legendFont);

    m_x = new QDateTimeAxis;
    m_x->setFormat(QStringLiteral("HH:mm"));
    m_x->setTickCount(7);
    m_y = new QValueAxis;
    m_y->setTitleText(unit);
    m_y->setLabelFormat(QStringLiteral("%.4g"));
    m_y->setRange(0, 1);
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);

    setChart(m_chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(280, 190);
    setContextMenuPolicy(Qt::NoContextMenu);
    applyPalette();
    m_chart->setTitle(m_title);
}

void TimeChart::setSecondaryUnit(const QString &unit)
{
    if (!m_y2) {
        m_y2 = new QValueAxis;
        m_y2->setLabelFormat(QStringLiteral("%.3g"));
        m_y2->setRange(0, 1);
        m_y2->setGridLineVisible(false);
        m_chart->addAxis(m_y2, Qt::AlignRight);
        styleAxis(m_y2);
    }
    m_y2->setTitleText(unit);
}

void TimeChart::styleAxis(QValueAxis *axis)
{
    const QPalette pal = palette();
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    axis->setLabelsBrush(pal.brush(QPalette::Text));
    axis->setLabelsFont(small);
    axis->setTitleBrush(pal.brush(QPalette::PlaceholderText));
    axis->setTitleFont(small);
    QColor grid = pal.color(QPalette::Text);
    grid.setAlpha(28);
    axis->setGridLineColor(grid);
    axis->setMinorGridLineVisible(false);
    QColor line = pal.color(QPalette::Text);
    line.setAlpha(90);
    axis->setLinePenColor(line);
}

void TimeChart::applyPalette()
{
    const QPalette pal = palette();
    m_chart->setBackgroundBrush(pal.brush(QPalette::Base));
    QColor border = pal.color(QPalette::Text);
    border.setAlpha(40);
    m_chart->setBackgroundPen(QPen(border));
    m_chart->setPlotAreaBackgroundVisible(false);
    m_chart->setTitleBrush(pal.brush(QPalette::Text));
    QFont titleFont = font();
    titleFont.setBold(true);
    m_chart->setTitleFont(titleFont);
    m_chart->legend()->setLabelColor(pal.color(QPalette::Text));
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_x->setLabelsBrush(pal.brush(QPalette::Text));
    m_x->setLabelsFont(small);
    QColor grid = pal.color(QPalette::Text);
    grid.setAlpha(28);
    m_x->setGridLineColor(grid);
    QColor line = pal.color(QPalette::Text);
    line.setAlpha(90);
    m_x->setLinePenColor(line);
    styleAxis(m_y);
    if (m_y2) {
        styleAxis(m_y2);
    }
    setBackgroundBrush(pal.brush(QPalette::Window));
}

void TimeChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        applyPalette();
    }
    QChartView::changeEvent(event);
}

QLineSeries *TimeChart::lineFor(const ChartLine &line, bool *created)
{
    QLineSeries *series = m_lines.value(line.key);
    *created = !series;
    if (!series) {
        series = new QLineSeries;
        series->setName(line.label);
        QPen pen(line.color);
        pen.setWidthF(line.dashed ? 1.6 : 2.0);
        pen.setStyle(line.dashed ? Qt::DashLine : Qt::SolidLine);
        series->setPen(pen);
        m_chart->addSeries(series);
        series->attachAxis(m_x);
        series->attachAxis(line.secondaryAxis && m_y2 ? m_y2 : m_y);
        series->setProperty("inLegend", line.inLegend);
        m_lines.insert(line.key, series);
        updateLegendVisibility(series);
    } else if (series->name() != line.label) {
        series->setName(line.label);
    }
    return series;
}

void TimeChart::setContent(double fromMs, double toMs, const QVector<ChartLine> &lines,
                           const QVector<ChartBand> &bands, const QString &note)
{
    const double window = toMs - fromMs;
    if (window != m_windowMs) {
        m_windowMs = window;
        m_x->setFormat(window <= 5 * 60 * 1000 + 1 ? QStringLiteral("HH:mm:ss")
                                                   : QStringLiteral("HH:mm"));
        // Beyond 15 minutes every pixel column holds many noisy samples: the lines become dense
        // low/high strokes, and antialiasing them in software made one paint of the 1-hour
        // window take over 100 ms with 1,000 hosts. Aliasing does not show at that density.
        setRenderHint(QPainter::Antialiasing, window <= 15 * 60 * 1000 + 1);
    }
    // Lines first, axes after: Qt Charts recomputes every series' geometry when an axis range
    // changes, so setting the ranges once, after every replace(), does that work once.
    removeSeriesNotIn(m_chart, m_lines, lines);
    // Two points (low, high) per two pixels at most.
    const int columns = std::max(100, static_cast<int>(m_chart->plotArea().width() / 2));
    double lo[2] = {std::numeric_limits<double>::max(), std::numeric_limits<double>::max()};
    double hi[2] = {std::numeric_limits<double>::lowest(), std::numeric_limits<double>::lowest()};
    bool secondaryUsed = false;
    for (const ChartLine &line : lines) {
        bool created = false;
        QLineSeries *series = lineFor(line, &created);
        const QVector<QPointF> points = decimated(line.points, fromMs, toMs, columns);
        series->replace(points); // one call per series per refresh
        const int axis = line.secondaryAxis && m_y2 ? 1 : 0;
        secondaryUsed = secondaryUsed || axis == 1;
        for (const QPointF &p : points) {
            lo[axis] = std::min(lo[axis], p.y());
            hi[axis] = std::max(hi[axis], p.y());
        }
    }
    m_x->setRange(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(fromMs)),
                  QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(toMs)));
    auto range = [this](QValueAxis *axis, double low, double high) {
        if (high < low) { // no data
            low = 0;
            high = 1;
        }
        if (m_zeroBased) {
            low = std::min(0.0, low);
        } else {
            // Padding never takes a quantity that cannot be negative (flow) below zero.
            const double pad = std::max((high - low) * 0.1, 0.5);
            low = low >= 0 ? std::max(0.0, low - pad) : low - pad;
            high += pad;
        }
        if (high - low < 1e-9) {
            high = low + 1;
        }
        setNiceRange(axis, low, high + (high - low) * 0.08);
    };
    range(m_y, lo[0], hi[0]);
    if (m_y2) {
        range(m_y2, lo[1], hi[1]);
        m_y2->setVisible(secondaryUsed);
    }
    setBands(bands, m_y->max(), m_y->min());

    QString title = m_title;
    if (lines.isEmpty() && !m_emptyText.isEmpty()) {
        title += QStringLiteral("  —  ") + m_emptyText;
    } else if (!note.isEmpty()) {
        title += QStringLiteral("  —  ") + note;
    }
    if (title != m_shownTitle) {
        m_shownTitle = title;
        m_chart->setTitle(title);
    }
}

void TimeChart::setBands(const QVector<ChartBand> &bands, double top, double bottom)
{
    removeSeriesNotIn(m_chart, m_bands, bands); // an area series owns its upper and lower lines
    bool added = false;
    for (const ChartBand &band : bands) {
        QAreaSeries *area = m_bands.value(band.key);
        if (!area) {
            auto *upper = new QLineSeries;
            auto *lower = new QLineSeries;
            area = new QAreaSeries(upper, lower);
            upper->setParent(area);
            lower->setParent(area);
            QColor fill = band.color;
            fill.setAlpha(48);
            area->setBrush(fill);
            QColor edge = band.color;
            edge.setAlpha(110);
            area->setPen(QPen(edge, 1));
            m_chart->addSeries(area);
            area->attachAxis(m_x);
            area->attachAxis(m_y);
            m_bands.insert(band.key, area);
            added = true;
        }
        if (area->name() != band.label) {
            area->setName(band.label);
        }
        if (added || area->name() != band.label) {
            // An opaque swatch in the legend, although the band itself is translucent.
            for (QLegendMarker *marker : m_chart->legend()->markers(area)) {
                marker->setBrush(band.color);
                marker->setPen(Qt::NoPen);
                marker->setShape(QLegend::MarkerShapeRectangle);
            }
        }
        area->upperSeries()->replace({QPointF(band.fromMs, top), QPointF(band.toMs, top)});
        area->lowerSeries()->replace({QPointF(band.fromMs, bottom), QPointF(band.toMs, bottom)});
    }
    if (added) {
        raiseLines();
    }
}

void TimeChart::updateLegendVisibility(QLineSeries *series)
{
    const bool visible = series->property("inLegend").toBool();
    for (QLegendMarker *marker : m_chart->legend()->markers(series)) {
        marker->setVisible(visible);
    }
}

void TimeChart::raiseLines()
{
    // Series paint in the order they were added: re-add the lines so they sit above the bands.
    for (QLineSeries *series : std::as_const(m_lines)) {
        const QList<QAbstractAxis *> axes = series->attachedAxes();
        m_chart->removeSeries(series);
        m_chart->addSeries(series);
        for (QAbstractAxis *axis : axes) {
            series->attachAxis(axis);
        }
        updateLegendVisibility(series);
    }
}

QVector<QPointF> TimeChart::linePoints(const QString &key) const
{
    const QLineSeries *series = m_lines.value(key);
    return series ? series->points() : QVector<QPointF>();
}

QString TimeChart::lineLabel(const QString &key) const
{
    const QLineSeries *series = m_lines.value(key);
    return series ? series->name() : QString();
}

QColor TimeChart::lineColor(const QString &key) const
{
    const QLineSeries *series = m_lines.value(key);
    return series ? series->pen().color() : QColor();
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
