#pragma once

#include <QColor>
#include <QHash>
#include <QString>

namespace greenpulse::app {

// Stable colours by name: a name keeps the colour it got first, so a job has the same colour in
// every chart (its band on the power chart, its lines for kWh, CO2e and litres). The colours are
// mid-saturation so they read on light and dark backgrounds.
class ChartPalette
{
public:
    // `offset` picks where in the colour list this palette starts, so two palettes (hosts and
    // jobs) do not hand out the same first colours.
    explicit ChartPalette(int offset = 0) : m_next(offset) {}
    QColor colorFor(const QString &name);
    static QColor othersColor() { return QColor(0x8c, 0x8c, 0x8c); }

private:
    QHash<QString, int> m_assigned;
    int m_next;
};

} // namespace greenpulse::app
