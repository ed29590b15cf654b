#include "SimSource.h"

#include <QRandomGenerator>

namespace greenpulse::sim {

SimSource::SimSource(std::function<bool()> busy, QRandomGenerator &random)
    : m_busy(std::move(busy)), m_random(random)
{}

double SimSource::watts()
{
    const bool busy = m_busy && m_busy();
    const double low = busy ? kBusyMinW : kIdleMinW;
    const double high = busy ? kBusyMaxW : kIdleMaxW;
    return low + (high - low) * m_random.generateDouble();
}

QList<ComponentReading> SimSource::read()
{
    ComponentReading r;
    r.name = QStringLiteral("sim");
    r.watts = watts();
    return {r};
}

QStringList SimSource::describe() const
{
    return {QStringLiteral("simulated: %1-%2 W idle, %3-%4 W while a job runs (not a measurement)")
                .arg(kIdleMinW)
                .arg(kIdleMaxW)
                .arg(kBusyMinW)
                .arg(kBusyMaxW)};
}

} // namespace greenpulse::sim
