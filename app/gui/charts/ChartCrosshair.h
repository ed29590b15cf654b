#pragma once

#include <QPalette>
#include <QRectF>
#include <QString>

QT_BEGIN_NAMESPACE
class QChart;
class QGraphicsLineItem;
class QGraphicsRectItem;
class QGraphicsTextItem;
QT_END_NAMESPACE

namespace greenpulse::app {

// A vertical line across a chart's plot area and a box with the values at it, drawn as items
// of the chart (no repaint of the series).
class ChartCrosshair
{
public:
    explicit ChartCrosshair(QChart *chart);
    // `x` in the chart's coordinates; the box sits beside the line, inside `plot`.
    void show(double x, const QRectF &plot, const QString &html);
    void hide();
    bool isVisible() const;
    void applyPalette(const QPalette &palette);

private:
    QGraphicsLineItem *m_line;
    QGraphicsRectItem *m_box;
    QGraphicsTextItem *m_text;
};

} // namespace greenpulse::app
