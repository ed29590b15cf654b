#pragma once

// Qt Charts stays inside app/gui/charts/ (deprecated from Qt 6.10 for Qt Graphs).
#include <QChartView>
#include <QColor>
#include <QHash>
#include <QPointF>
#include <QString>
#include <QVector>

QT_BEGIN_NAMESPACE
class QAreaSeries;
class QChart;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace greenpulse::app {

struct ChartLine
{
    QString key;             // stable identity, e.g. "power/gpu-01"
    QString label;           // legend text
    QVector<QPointF> points; // x: ms since epoch
    QColor color;
    bool dashed = false;
    bool secondaryAxis = false;
    bool inLegend = true; // false: e.g. a companion line in the same colour as a listed one
};

// A shaded time span, e.g. a job running (drawn behind the lines, full height).
struct ChartBand
{
    QString key;
    QString label;
    double fromMs = 0;
    double toMs = 0;
    QColor color;
};

// One live chart: a time axis, a value axis (optionally a second one on the right), lines
// refreshed with QXYSeries::replace() (one call per series per refresh), and bands.
class TimeChart : public QChartView
{
    Q_OBJECT
public:
    TimeChart(const QString &title, const QString &unit, QWidget *parent = nullptr);

    void setSecondaryUnit(const QString &unit);
    void setZeroBased(bool zeroBased) { m_zeroBased = zeroBased; }
    void setEmptyText(const QString &text) { m_emptyText = text; }

    void setContent(double fromMs, double toMs, const QVector<ChartLine> &lines,
                    const QVector<ChartBand> &bands = {}, const QString &note = {});
    void applyPalette();

    // For tests and screenshots.
    QStringList lineKeys() const { return m_lines.keys(); }
    QVector<QPointF> linePoints(const QString &key) const;
    QString lineLabel(const QString &key) const;
    int bandCount() const { return static_cast<int>(m_bands.size()); }
    QStringList bandKeys() const { return m_bands.keys(); }
    QColor lineColor(const QString &key) const;
    QRect plotRect() const; // the plot area, in this view's coordinates
    QString titleText() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    QLineSeries *lineFor(const ChartLine &line, bool *created);
    void setBands(const QVector<ChartBand> &bands, double top, double bottom);
    void raiseLines();
    void updateLegendVisibility(QLineSeries *series);
    void styleAxis(QValueAxis *axis);

    QChart *m_chart = nullptr;
    QDateTimeAxis *m_x = nullptr;
    QValueAxis *m_y = nullptr;
    QValueAxis *m_y2 = nullptr;
    QString m_title;
    QString m_emptyText;
    QString m_shownTitle;
    bool m_zeroBased = true;
    QHash<QString, QLineSeries *> m_lines;
    QHash<QString, QAreaSeries *> m_bands;
    double m_windowMs = 0;
};

} // namespace greenpulse::app
