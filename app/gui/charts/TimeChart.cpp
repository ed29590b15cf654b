#include "charts/TimeChart.h"

#include "charts/AxisTicks.h"
#include "charts/ChartBands.h"
#include "charts/ChartCrosshair.h"
#include "charts/ChartGapMarks.h"
#include "charts/ChartValueAxis.h"
#include "charts/SeriesRuns.h"

#include <QCategoryAxis>
#include <QChart>
#include <QDateTime>
#include <QEvent>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QResizeEvent>
#include <algorithm>
#include <cmath>
#include <limits>

namespace greenpulse::app {

namespace {

constexpr int kMaxRuns = 32; // runs per line: the newest runs, the older ones not drawn
// Points per series (seriesruns::pieces). A patterned pen starts its dashes again at each piece,
// so those lines are cut less often.
constexpr int kSolidPiecePoints = 32;
constexpr int kPatternPiecePoints = 128;
constexpr int kTimeLabelPx = 90; // room per time label

void clearCategories(QCategoryAxis *axis)
{
    for (const QString &label : axis->categoriesLabels()) {
        axis->remove(label);
    }
}

} // namespace

TimeChart::TimeChart(const QString &title, format::Quantity quantity, const QString &unit,
                     const QString &axisNote, QWidget *parent)
    : QChartView(parent), m_title(title)
{
    m_chart = new QChart;
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setBackgroundRoundness(6);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);

    m_x = new QCategoryAxis;
    m_x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_y = std::make_unique<ChartValueAxis>(quantity, unit, axisNote);
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y->axis(), Qt::AlignLeft);

    setChart(m_chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(280, 190);
    setContextMenuPolicy(Qt::NoContextMenu);
    setMouseTracking(true);
    m_crosshair = new ChartCrosshair(m_chart);
    m_bands = new ChartBands(m_chart, m_x, m_y->axis());
    m_gapMarks = new ChartGapMarks(m_chart, m_x);
    m_marks = new ChartMarks(m_chart, m_x, m_y->axis());
    applyPalette();
    m_chart->setTitle(m_title);
    m_y->setRange(0, 1, m_zeroBased, 0);
}

TimeChart::~TimeChart()
{
    delete m_crosshair;
    delete m_bands;
    delete m_gapMarks;
    delete m_marks;
}

void TimeChart::setSecondaryAxis(format::Quantity quantity, const QString &unit,
                                 const QString &note)
{
    if (!m_y2) {
        m_y2 = std::make_unique<ChartValueAxis>(quantity, unit, note);
        m_y2->axis()->setGridLineVisible(false);
        m_chart->addAxis(m_y2->axis(), Qt::AlignRight);
        ChartValueAxis::style(m_y2->axis(), palette(), font());
    }
    m_y2->setQuantity(quantity, unit, note);
    m_y2->setRange(0, 1, m_zeroBased, 0);
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
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_chart->legend()->setFont(small);
    m_chart->legend()->setLabelColor(pal.color(QPalette::Text));
    ChartValueAxis::style(m_x, pal, font());
    ChartValueAxis::style(m_y->axis(), pal, font());
    if (m_y2) {
        ChartValueAxis::style(m_y2->axis(), pal, font());
    }
    m_gapMarks->applyPalette(pal);
    m_marks->applyPalette(pal);
    m_crosshair->applyPalette(pal);
    setBackgroundBrush(pal.brush(QPalette::Window));
    for (const QString &key : m_hidden) {
        refreshLegendEntry(key);
    }
}

void TimeChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        applyPalette();
    }
    QChartView::changeEvent(event);
}

QLineSeries *TimeChart::newSegment(const QString &key, const ChartLine &spec, bool withMarker)
{
    auto *series = new QLineSeries;
    series->setName(spec.label);
    m_chart->addSeries(series);
    series->attachAxis(m_x);
    series->attachAxis(yAxisFor(spec).axis());
    for (QLegendMarker *marker : m_chart->legend()->markers(series)) {
        marker->setVisible(withMarker && spec.inLegend);
        if (withMarker) {
            connect(marker, &QLegendMarker::clicked, this,
                    [this, key] { setLineHidden(key, !m_hidden.contains(key)); });
        }
    }
    return series;
}

TimeChart::Line &TimeChart::lineFor(const ChartLine &spec)
{
    auto it = m_lines.find(spec.key);
    if (it == m_lines.end()) {
        Line line;
        line.spec = spec;
        line.spec.points.clear();
        line.segments.append(newSegment(spec.key, spec, true));
        it = m_lines.insert(spec.key, std::move(line));
        stylePen(spec.key, it.value());
        if (m_hidden.contains(spec.key)) {
            setLineHidden(spec.key, true);
        }
    } else if (it->spec.color != spec.color || it->spec.penStyle != spec.penStyle) {
        it->spec.color = spec.color;
        it->spec.penStyle = spec.penStyle;
        stylePen(spec.key, it.value());
    }
    it->spec.label = spec.label;
    return it.value();
}

void TimeChart::stylePen(const QString &key, Line &line)
{
    QPen pen(line.spec.color);
    const bool emphasised = m_emphasis.contains(key);
    pen.setWidthF((line.spec.dashed ? 1.6 : 2.0) + (emphasised ? 1.6 : 0.0));
    pen.setStyle(line.spec.dashed ? Qt::DashLine : line.spec.penStyle);
    if (!m_emphasis.isEmpty() && !emphasised) {
        QColor faded = line.spec.color;
        faded.setAlpha(70);
        pen.setColor(faded);
    }
    for (QLineSeries *series : std::as_const(line.segments)) {
        series->setPen(pen);
    }
}

void TimeChart::removeLine(const QString &key)
{
    const Line line = m_lines.take(key);
    for (int i = 0; i < line.segments.size(); ++i) {
        QLineSeries *series = line.segments[i];
        if (i == 0) { // the one with the legend entry
            m_chart->removeSeries(series);
            delete series;
        } else {
            series->clear();
            m_spareSegments.append(series);
        }
    }
}

QLineSeries *TimeChart::spareSegment(const ChartLine &spec)
{
    if (m_spareSegments.isEmpty()) {
        return newSegment(spec.key, spec, false);
    }
    QLineSeries *series = m_spareSegments.takeLast();
    QAbstractAxis *y = yAxisFor(spec).axis();
    if (!series->attachedAxes().contains(y)) {
        for (QAbstractAxis *axis : series->attachedAxes()) {
            if (axis != m_x) {
                series->detachAxis(axis);
            }
        }
        series->attachAxis(y);
    }
    series->setName(spec.label);
    return series;
}

void TimeChart::drawRuns(Line &line, QVector<QVector<QPointF>> runs)
{
    // Each run in short pieces, one series each. Spare series of earlier refreshes are emptied,
    // not deleted (a line that broke once is likely to break again, and adding a series re-lays
    // the chart out).
    const int piecePoints = line.spec.dashed || line.spec.penStyle != Qt::SolidLine
                                ? kPatternPiecePoints
                                : kSolidPiecePoints;
    QVector<QVector<QPointF>> pieces;
    for (const QVector<QPointF> &run : std::as_const(runs)) {
        pieces += seriesruns::pieces(run, piecePoints);
    }
    if (line.segments.size() < pieces.size()) {
        while (line.segments.size() < pieces.size()) {
            QLineSeries *series = spareSegment(line.spec);
            series->setVisible(!m_hidden.contains(line.spec.key));
            line.segments.append(series);
        }
        stylePen(line.spec.key, line);
    }
    for (int i = 0; i < line.segments.size(); ++i) {
        if (i < pieces.size()) {
            line.segments[i]->replace(pieces[i]); // one call per piece per refresh
        } else if (line.segments[i]->count() > 0) {
            line.segments[i]->clear();
        }
    }
    line.runs = std::move(runs);
}

void TimeChart::setContent(double fromMs, double toMs, const QVector<ChartLine> &lines,
                           const QVector<ChartBand> &bands, const QString &note)
{
    const double window = toMs - fromMs;
    if (window != m_toMs - m_fromMs) {
        // Beyond 15 minutes every pixel column holds many noisy samples: the lines become dense
        // low/high strokes, and antialiasing them in software made one paint of the 1-hour
        // window take over 100 ms with 1,000 hosts. Aliasing does not show at that density.
        setRenderHint(QPainter::Antialiasing, window <= 15 * 60 * 1000 + 1);
    }
    m_fromMs = fromMs;
    m_toMs = toMs;
    // Lines first, axes after: Qt Charts recomputes every series' geometry when an axis range
    // changes, so setting the ranges once, after every replace(), does that work once.
    QSet<QString> wanted;
    for (const ChartLine &line : lines) {
        wanted.insert(line.key);
    }
    for (const QString &key : m_lines.keys()) {
        if (!wanted.contains(key)) {
            removeLine(key);
        }
    }
    // Two points (low, high) per two pixels at most.
    const int columns = std::max(100, static_cast<int>(m_chart->plotArea().width() / 2));
    double lo[2] = {std::numeric_limits<double>::max(), std::numeric_limits<double>::max()};
    double hi[2] = {std::numeric_limits<double>::lowest(), std::numeric_limits<double>::lowest()};
    bool secondaryUsed = false;
    int droppedRuns = 0;
    for (const ChartLine &spec : lines) {
        Line &line = lineFor(spec);
        QVector<QVector<QPointF>> runs = seriesruns::split(spec.points);
        if (runs.size() > kMaxRuns) {
            droppedRuns += static_cast<int>(runs.size()) - kMaxRuns;
            runs.remove(0, runs.size() - kMaxRuns);
        }
        const int axis = onSecondaryAxis(spec) ? 1 : 0;
        secondaryUsed = secondaryUsed || axis == 1;
        for (QVector<QPointF> &run : runs) {
            run = seriesruns::decimated(run, fromMs, toMs, columns);
            for (const QPointF &p : std::as_const(run)) {
                lo[axis] = std::min(lo[axis], p.y());
                hi[axis] = std::max(hi[axis], p.y());
            }
        }
        drawRuns(line, std::move(runs));
        refreshLegendEntry(spec.key);
    }
    placeLegend();
    setTimeTicks(fromMs, toMs);
    m_x->setRange(fromMs, toMs);
    int lanes = 0;
    ChartBands::lanes(bands, &lanes);
    m_y->setRange(lo[0], hi[0], m_zeroBased, lanes);
    if (m_y2) {
        m_y2->setRange(lo[1], hi[1], m_zeroBased, lanes);
        m_y2->axis()->setVisible(secondaryUsed);
    }
    m_bands->set(bands, m_y->axis()->max(), m_y->axis()->min());
    m_marks->place(fromMs, toMs, m_y->axis()->max(), m_y->axis()->min());
    setGapMarks();

    QStringList notes;
    if (lines.isEmpty() && !m_emptyText.isEmpty()) {
        notes << m_emptyText;
    } else if (!note.isEmpty()) {
        notes << note;
    }
    if (droppedRuns > 0) {
        notes << tr("older data between gaps not drawn (%1 runs)").arg(droppedRuns);
    }
    const QString title =
        notes.isEmpty() ? m_title
                        : m_title + QStringLiteral("  —  ") + notes.join(QStringLiteral("; "));
    if (title != m_shownTitle) {
        m_shownTitle = title;
        m_chart->setTitle(title);
    }
}

void TimeChart::setTimeTicks(double fromMs, double toMs)
{
    const double width = m_chart->plotArea().width() > 0 ? m_chart->plotArea().width()
                                                         : std::max(200, this->width() - 80);
    const int maxTicks = std::max(3, static_cast<int>(width / kTimeLabelPx));
    const qint64 offsetMs =
        QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(toMs)).offsetFromUtc() * 1000LL;
    const TimeTicks ticks = timeTicks(fromMs, toMs, maxTicks, offsetMs);
    if (ticks.at == m_timeTicks && ticks.format == m_timeFormat) {
        return; // the same ticks: they scroll with the range, nothing to relabel
    }
    m_timeTicks = ticks.at;
    m_timeFormat = ticks.format;
    clearCategories(m_x);
    m_x->setStartValue(ticks.at.isEmpty() ? fromMs : ticks.at.constFirst());
    for (double at : ticks.at) {
        m_x->append(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(at)).toString(ticks.format),
                    at);
    }
}

void TimeChart::setGapMarks()
{
    QList<QPointF> marks[2];
    for (auto it = m_lines.cbegin(); it != m_lines.cend(); ++it) {
        if (!m_hidden.contains(it.key())) {
            marks[onSecondaryAxis(it->spec) ? 1 : 0] += ChartGapMarks::ends(it->runs);
        }
    }
    m_gapMarks->set(0, m_y->axis(), marks[0]);
    if (m_y2) {
        m_gapMarks->set(1, m_y2->axis(), marks[1]);
    }
}

void TimeChart::refreshLegendEntry(const QString &key)
{
    const auto it = m_lines.constFind(key);
    if (it == m_lines.constEnd() || it->segments.isEmpty()) {
        return;
    }
    const Line &line = it.value();
    QString text = line.spec.label;
    if (!line.runs.isEmpty() && !line.runs.constLast().isEmpty()) {
        const ChartValueAxis &axis = yAxisFor(line.spec);
        text += QStringLiteral("  ") + axis.valueText(line.runs.constLast().constLast().y());
    }
    QLineSeries *first = line.segments.constFirst();
    if (first->name() != text) {
        first->setName(text);
    }
    QColor label = palette().color(QPalette::Text);
    if (m_hidden.contains(key)) {
        label.setAlpha(90);
    }
    for (QLegendMarker *marker : m_chart->legend()->markers(first)) {
        if (marker->labelBrush().color() != label) {
            marker->setLabelBrush(label);
        }
    }
}

void TimeChart::setLineHidden(const QString &key, bool hidden)
{
    const bool changed = hidden != m_hidden.contains(key);
    if (hidden) {
        m_hidden.insert(key);
    } else {
        m_hidden.remove(key);
    }
    const auto it = m_lines.constFind(key);
    if (it != m_lines.constEnd()) {
        for (QLineSeries *series : it->segments) {
            series->setVisible(!hidden);
        }
        // Hiding a series hides its legend entry too: keep the entry, dimmed, to click again.
        for (QLegendMarker *marker : m_chart->legend()->markers(it->segments.constFirst())) {
            marker->setVisible(it->spec.inLegend);
        }
        refreshLegendEntry(key);
        setGapMarks();
    }
    if (changed) {
        emit lineToggled(key, hidden);
    }
}

void TimeChart::setEmphasis(const QSet<QString> &keys)
{
    if (keys == m_emphasis) {
        return;
    }
    m_emphasis = keys;
    for (auto it = m_lines.begin(); it != m_lines.end(); ++it) {
        stylePen(it.key(), it.value());
    }
    m_bands->setEmphasis(keys);
}

void TimeChart::mouseMoveEvent(QMouseEvent *event)
{
    const QPointF inChart = m_chart->mapFromScene(mapToScene(event->position().toPoint()));
    const QRectF plot = m_chart->plotArea();
    if (plot.contains(inChart) && plot.width() > 0) {
        showCrosshair(m_fromMs + (inChart.x() - plot.left()) / plot.width() * (m_toMs - m_fromMs));
    } else {
        hideCrosshair();
    }
    QChartView::mouseMoveEvent(event);
}

void TimeChart::resizeEvent(QResizeEvent *event)
{
    placeLegend();
    QChartView::resizeEvent(event);
    m_marks->reposition();
}

void TimeChart::setMarks(const QVector<ChartMark> &marks)
{
    m_marks->setMarks(marks);
}

QStringList TimeChart::markLabels() const
{
    return m_marks->shownLabels();
}

void TimeChart::placeLegend()
{
    // A wide chart, or one with more entries than fit in a row below it, lists its lines on the
    // right, one a row, so names and values are not cut to "gpu-0 3…" or "Tra…"; a narrow chart
    // with few lines keeps the plot wide and lists them below.
    int entries = 0;
    for (const Line &line : std::as_const(m_lines)) {
        entries += line.spec.inLegend ? 1 : 0;
    }
    const bool right = width() >= kLegendRightFromWidth ||
                       (entries > kLegendBelowMax && width() >= kLegendRightMinWidth);
    const Qt::Alignment wanted = right ? Qt::AlignRight : Qt::AlignBottom;
    if (m_chart->legend()->alignment() != wanted) {
        m_chart->legend()->setAlignment(wanted);
    }
}

Qt::Alignment TimeChart::legendAlignment() const
{
    return m_chart->legend()->alignment();
}

void TimeChart::leaveEvent(QEvent *event)
{
    hideCrosshair();
    QChartView::leaveEvent(event);
}

} // namespace greenpulse::app
