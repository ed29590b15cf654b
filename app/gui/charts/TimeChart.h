#pragma once

// Qt Charts stays inside app/gui/charts/ (deprecated from Qt 6.10 for Qt Graphs).
#include "charts/ChartMarks.h"
#include "runtime/Format.h"

#include <QChartView>
#include <QColor>
#include <QHash>
#include <QPointF>
#include <QSet>
#include <QString>
#include <QVector>
#include <memory>

QT_BEGIN_NAMESPACE
class QCategoryAxis;
class QChart;
class QLineSeries;
QT_END_NAMESPACE

namespace greenpulse::app {

class ChartBands;
class ChartCrosshair;
class ChartGapMarks;
class ChartValueAxis;

struct ChartLine
{
    QString key;             // stable identity, e.g. "power/gpu-01"
    QString label;           // legend text (the live value is added after it)
    QVector<QPointF> points; // x: ms since epoch; y: in the axis's base unit (W, kWh, kg, L)
    QColor color;
    bool dashed = false;
    bool secondaryAxis = false;
    bool inLegend = true; // false: e.g. a companion line in the same colour as a listed one
    Qt::PenStyle penStyle = Qt::SolidLine; // the palette's style (dashed overrides it)
};

// A time span: a job running (a thin lane at the top of the plot, one lane per job, so many
// jobs stay readable over the lines) or, with `outage`, a stretch without data (a light band
// over the whole height, e.g. while the processor was disconnected from the broker).
struct ChartBand
{
    QString key;
    QString label;
    double fromMs = 0;
    double toMs = 0;
    QColor color;
    bool outage = false;
};

// One live chart: a time axis with round ticks, a value axis in automatic units (optionally a
// second one on the right), lines broken where data is missing (one series per continuous run,
// refreshed with one replace() per run), job lanes and outage bands, a legend with live values
// whose entries hide and show their line on click, and a crosshair with values on hover.
class TimeChart : public QChartView
{
    Q_OBJECT
public:
    // `unit` is used for format::Quantity::Plain only (e.g. "°C"); `axisNote` follows the unit
    // in the axis title (e.g. "(solid)").
    TimeChart(const QString &title, format::Quantity quantity, const QString &unit = {},
              const QString &axisNote = {}, QWidget *parent = nullptr);
    ~TimeChart() override;

    void setSecondaryAxis(format::Quantity quantity, const QString &unit, const QString &note);
    void setZeroBased(bool zeroBased) { m_zeroBased = zeroBased; }
    void setEmptyText(const QString &text) { m_emptyText = text; }

    void setContent(double fromMs, double toMs, const QVector<ChartLine> &lines,
                    const QVector<ChartBand> &bands = {}, const QString &note = {});
    void applyPalette();
    // Vertical marker lines with a label (e.g. the carbon intensity changing), drawn from the
    // next setContent() on, where inside the window.
    void setMarks(const QVector<ChartMark> &marks);
    QStringList markLabels() const; // those shown

    // Hidden lines stay listed (dimmed) in the legend; a click on the entry toggles it.
    void setLineHidden(const QString &key, bool hidden);
    bool isLineHidden(const QString &key) const { return m_hidden.contains(key); }
    // Linked highlighting: these lines and bands drawn bold, the others faded; empty: all normal.
    void setEmphasis(const QSet<QString> &keys);
    QSet<QString> emphasis() const { return m_emphasis; }

    // The crosshair's text at `xMs`: the time, then each shown line's value ("–" in a gap).
    QString crosshairText(double xMs) const;
    void showCrosshair(double xMs);
    void hideCrosshair();
    bool crosshairVisible() const;

    // For tests and screenshots.
    QStringList lineKeys() const { return m_lines.keys(); }
    QVector<QPointF> linePoints(const QString &key) const; // every run, in time order
    QVector<QVector<QPointF>> lineRuns(const QString &key) const;
    QString lineLabel(const QString &key) const;
    QString legendText(const QString &key) const;
    int bandCount() const;
    QStringList bandKeys() const;
    int outageCount() const;
    QVector<QPointF> gapMarks() const; // the ends of the runs next to a gap
    QColor lineColor(const QString &key) const;
    Qt::PenStyle linePenStyle(const QString &key) const;
    QStringList timeLabels() const;
    QStringList valueLabels(bool secondary = false) const;
    QString valueTitle(bool secondary = false) const;
    QRect plotRect() const; // the plot area, in this view's coordinates
    QString titleText() const;
    Qt::Alignment legendAlignment() const;
    static constexpr int kLegendRightFromWidth = 560; // px: narrower, the legend may go below
    static constexpr int kLegendBelowMax = 3;         // entries a narrow chart lists below
    static constexpr int kLegendRightMinWidth = 380;  // px: narrower, always below

signals:
    void lineToggled(const QString &key, bool hidden);

protected:
    void changeEvent(QEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Line
    {
        ChartLine spec; // without its points
        // The series that draw it: the runs cut into short pieces (seriesruns::pieces). The
        // first carries the legend entry; spare ones at the end are empty.
        QVector<QLineSeries *> segments;
        QVector<QVector<QPointF>> runs; // as drawn (decimated)
    };

    Line &lineFor(const ChartLine &line);
    void drawRuns(Line &line, QVector<QVector<QPointF>> runs);
    QLineSeries *newSegment(const QString &key, const ChartLine &spec, bool withMarker);
    QLineSeries *spareSegment(const ChartLine &spec);
    // The value axis a line is drawn against: the right-hand one when it asks for it and the
    // chart has one.
    bool onSecondaryAxis(const ChartLine &spec) const { return spec.secondaryAxis && m_y2; }
    ChartValueAxis &yAxisFor(const ChartLine &spec) const
    {
        return onSecondaryAxis(spec) ? *m_y2 : *m_y;
    }
    void removeLine(const QString &key);
    void stylePen(const QString &key, Line &line);
    void setTimeTicks(double fromMs, double toMs);
    void setGapMarks();
    void refreshLegendEntry(const QString &key);
    void placeLegend();

    QChart *m_chart = nullptr;
    QCategoryAxis *m_x = nullptr;
    std::unique_ptr<ChartValueAxis> m_y;
    std::unique_ptr<ChartValueAxis> m_y2;
    ChartGapMarks *m_gapMarks = nullptr;
    ChartMarks *m_marks = nullptr;
    ChartCrosshair *m_crosshair = nullptr;
    QString m_title;
    QString m_emptyText;
    QString m_shownTitle;
    bool m_zeroBased = true;
    QHash<QString, Line> m_lines;
    // Empty series without a legend entry, left by removed lines: a line new to the top N takes
    // these before new ones are added (adding a series re-lays the chart out).
    QVector<QLineSeries *> m_spareSegments;
    ChartBands *m_bands = nullptr;
    QSet<QString> m_hidden;
    QSet<QString> m_emphasis;
    QVector<double> m_timeTicks;
    QString m_timeFormat;
    double m_fromMs = 0;
    double m_toMs = 0;
};

} // namespace greenpulse::app
