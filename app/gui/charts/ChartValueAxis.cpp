#include "charts/ChartValueAxis.h"

#include "charts/AxisTicks.h"
#include "charts/ChartBands.h"

#include <QCategoryAxis>
#include <QFont>
#include <algorithm>
#include <cmath>

namespace greenpulse::app {

ChartValueAxis::ChartValueAxis(format::Quantity quantity, const QString &unit, const QString &note)
    : m_axis(new QCategoryAxis), m_quantity(quantity), m_unit(unit), m_note(note)
{
    m_axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
}

void ChartValueAxis::setQuantity(format::Quantity quantity, const QString &unit,
                                 const QString &note)
{
    m_quantity = quantity;
    m_unit = unit;
    m_note = note;
    m_ticks.clear(); // relabel at the next setRange()
}

void ChartValueAxis::setRange(double low, double high, bool zeroBased, int lanes)
{
    if (high < low) { // no data
        low = 0;
        high = 1;
    }
    if (zeroBased) {
        low = std::min(0.0, low);
    } else {
        // Padding never takes a quantity that cannot be negative (flow) below zero.
        const double pad = std::max((high - low) * 0.1, 0.5);
        low = low >= 0 ? std::max(0.0, low - pad) : low - pad;
        high += pad;
    }
    if (high - low < 1e-12) {
        high = low + (low == 0 ? 1 : std::fabs(low) * 0.1);
    }
    const format::Scale scale = format::scaleFor(m_quantity, std::max(std::fabs(low), high));
    // Headroom above the data for the job lanes.
    double top = high + (high - low) * 0.08;
    ValueTicks ticks;
    for (int attempt = 0; attempt < 4; ++attempt) {
        ticks = valueTicks(low / scale.divisor, top / scale.divisor);
        const double laneRoom =
            (ticks.max - ticks.min) * ChartBands::kLaneShare * lanes * scale.divisor;
        if (ticks.max * scale.divisor - laneRoom >= high) {
            break;
        }
        top += laneRoom;
    }
    QVector<double> values;
    for (double v : ticks.values) {
        values.append(v * scale.divisor);
    }
    const QString unit = m_quantity == format::Quantity::Plain ? m_unit : scale.unit;
    if (values == m_ticks && unit == m_shownUnit) {
        return;
    }
    m_ticks = values;
    m_shownUnit = unit;
    for (const QString &label : m_axis->categoriesLabels()) {
        m_axis->remove(label);
    }
    m_axis->setRange(values.constFirst(), values.constLast());
    m_axis->setStartValue(values.constFirst());
    for (double v : ticks.values) {
        m_axis->append(format::tick(v, ticks.step), v * scale.divisor);
    }
    m_axis->setTitleText(m_note.isEmpty() ? unit : unit + QLatin1Char(' ') + m_note);
}

QString ChartValueAxis::valueText(double value) const
{
    if (!std::isfinite(value)) {
        return QStringLiteral("–");
    }
    if (m_quantity == format::Quantity::Plain) {
        const QString number = format::number(value, 2);
        return m_unit.isEmpty() ? number : number + QLatin1Char(' ') + m_unit;
    }
    return format::withUnit(m_quantity, value);
}

QStringList ChartValueAxis::labels() const
{
    return m_axis->categoriesLabels();
}

QString ChartValueAxis::title() const
{
    return m_axis->titleText();
}

void ChartValueAxis::style(QAbstractAxis *axis, const QPalette &palette, const QFont &font)
{
    QFont small = font;
    small.setPointSizeF(small.pointSizeF() * 0.85);
    axis->setLabelsBrush(palette.brush(QPalette::Text));
    axis->setLabelsFont(small);
    axis->setTitleBrush(palette.brush(QPalette::PlaceholderText));
    axis->setTitleFont(small);
    QColor grid = palette.color(QPalette::Text);
    grid.setAlpha(28);
    axis->setGridLineColor(grid);
    axis->setMinorGridLineVisible(false);
    QColor line = palette.color(QPalette::Text);
    line.setAlpha(90);
    axis->setLinePenColor(line);
}

} // namespace greenpulse::app
