#pragma once

#include "runtime/Format.h"

#include <QPalette>
#include <QString>
#include <QStringList>
#include <QVector>

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QCategoryAxis;
class QFont;
QT_END_NAMESPACE

namespace greenpulse::app {

// A value axis in automatic units: the data stays in its base unit (W, kWh, kg, L), the axis
// picks the unit its range reaches (format::scaleFor) and labels round ticks in it, never in
// scientific notation; its title is the unit. A QCategoryAxis whose categories are the ticks,
// rebuilt only when they change.
class ChartValueAxis
{
public:
    ChartValueAxis(format::Quantity quantity, const QString &unit, const QString &note);

    QCategoryAxis *axis() const { return m_axis; } // the chart takes it in addAxis()
    void setQuantity(format::Quantity quantity, const QString &unit, const QString &note);
    // Ticks covering [low, high] (0 included when `zeroBased`; else padded), with room at the
    // top for `lanes` job lanes of ChartBands.
    void setRange(double low, double high, bool zeroBased, int lanes);
    QString valueText(double value) const; // "8.97 kW", "31.2 °C"

    QStringList labels() const;
    QString title() const;
    static void style(QAbstractAxis *axis, const QPalette &palette, const QFont &font);

private:
    QCategoryAxis *m_axis;
    format::Quantity m_quantity;
    QString m_unit;
    QString m_note;
    QVector<double> m_ticks; // as set on the axis, base unit
    QString m_shownUnit;
};

} // namespace greenpulse::app
