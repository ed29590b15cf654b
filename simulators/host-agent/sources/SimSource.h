#pragma once

#include "PowerSource.h"

#include <functional>

class QRandomGenerator;

namespace greenpulse::sim {

// The simulated host: uniformly random in 95-105 W while no job runs and 350-500 W while one
// does. Not a measurement (isMeasured() is false); used with --source sim, or by `auto` when no
// real source is found.
class SimSource : public PowerSource
{
public:
    static constexpr double kIdleMinW = 95.0;
    static constexpr double kIdleMaxW = 105.0;
    static constexpr double kBusyMinW = 350.0;
    static constexpr double kBusyMaxW = 500.0;

    SimSource(std::function<bool()> busy, QRandomGenerator &random);

    QString name() const override { return QStringLiteral("sim"); }
    bool open() override { return true; }
    QStringList components() const override { return {QStringLiteral("sim")}; }
    QList<ComponentReading> read() override;
    QStringList describe() const override;
    QStringList problems() const override { return {}; }
    bool isMeasured() const override { return false; }

    double watts(); // one draw for the current job state

private:
    std::function<bool()> m_busy;
    QRandomGenerator &m_random;
};

} // namespace greenpulse::sim
