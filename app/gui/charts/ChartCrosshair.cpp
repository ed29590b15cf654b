#include "charts/ChartCrosshair.h"

#include <QChart>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsTextItem>
#include <QPen>

namespace greenpulse::app {

ChartCrosshair::ChartCrosshair(QChart *chart)
    : m_line(new QGraphicsLineItem(chart)), m_box(new QGraphicsRectItem(chart)),
      m_text(new QGraphicsTextItem(m_box))
{
    m_line->setZValue(50);
    m_box->setZValue(51);
    hide();
}

void ChartCrosshair::applyPalette(const QPalette &palette)
{
    QColor line = palette.color(QPalette::Text);
    line.setAlpha(140);
    m_line->setPen(QPen(line, 1, Qt::DashLine));
    QColor base = palette.color(QPalette::Base);
    base.setAlpha(230);
    m_box->setBrush(base);
    QColor border = palette.color(QPalette::Text);
    border.setAlpha(80);
    m_box->setPen(QPen(border, 1));
    m_text->setDefaultTextColor(palette.color(QPalette::Text));
}

void ChartCrosshair::show(double x, const QRectF &plot, const QString &html)
{
    m_line->setLine(x, plot.top(), x, plot.bottom());
    m_text->setHtml(html);
    const QRectF text = m_text->boundingRect();
    m_box->setRect(QRectF(QPointF(0, 0), text.size()));
    // Right of the line, or left of it where it would leave the plot.
    double left = x + 8;
    if (left + text.width() > plot.right()) {
        left = x - 8 - text.width();
    }
    m_box->setPos(std::max(plot.left(), left), plot.top() + 4);
    m_line->show();
    m_box->show();
}

void ChartCrosshair::hide()
{
    m_line->hide();
    m_box->hide();
}

bool ChartCrosshair::isVisible() const
{
    return m_line->isVisible();
}

} // namespace greenpulse::app
