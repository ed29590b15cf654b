#pragma once

#include "PowerSource.h"
#include "base/Timestamp.h"

#include <QHash>
#include <memory>
#include <vector>

namespace greenpulse::sim {

// One component's share of a measurement.
struct ComponentMeasurement
{
    QString source;       // rapl, hwmon, nvml, sim
    QString name;         // package-0, gpu1...
    QString uuid;         // the device's id (NVML GPUs), which a job's "gpus" may name
    double watts = 0.0;   // average over the component's interval
    double energyJ = 0.0; // since the meter started (counted, or integrated from readings)
    bool counter = false; // measured by an energy counter (else by power readings)
    QString error;        // not read this time: watts held from before, energy not advanced
};

// What the host agent publishes for one sample: watts, and for real sources the energy counter,
// its id, the sources and the components (docs/protocol.md, "Energy counters").
struct Measurement
{
    core::TimeNs atNs = 0;
    double intervalS = 0.0; // since the previous measurement (or start())
    double watts = 0.0;     // sum of the components' average power over the interval
    // The meter's own cumulative energy in joules: monotonic; a difference of two values is exact
    // for counter components only while counterId stays the same.
    double energyJ = 0.0;
    QString counterId;    // changes whenever the counter starts again (new meter, hardware restart)
    QStringList sources;  // the sources' names, e.g. rapl, nvml
    bool measured = true; // false when the power is simulated
    QList<ComponentMeasurement> components;
    QStringList errors; // "<source>/<component>: why", for components not read this time
};

// Reads a set of power sources together and turns their readings into interval averages and
// one monotonic energy counter. A counter component's average is its counter difference over
// the time since it was last read (a failed read holds its last average and its energy, so the
// next good read catches up and nothing is lost); a power-only component's reading stands for
// the interval that ends with it (energy += watts x interval). A counter that restarted (driver
// reload) counts what it counted since, averages from its power reading when it has one, and
// gives the meter a new counter id.
class PowerMeter
{
public:
    // `counterIdBase`: unique per meter (e.g. random); counterId() is "<base>-<restarts>".
    PowerMeter(std::vector<std::unique_ptr<PowerSource>> sources, QString counterIdBase);

    void start(core::TimeNs nowNs); // the first reading: where the first interval begins
    Measurement measure(core::TimeNs nowNs);

    const std::vector<std::unique_ptr<PowerSource>> &sources() const { return m_sources; }
    QStringList sourceNames() const;
    bool isMeasured() const; // no simulated source
    QString counterId() const;

private:
    struct State
    {
        std::optional<double> lastEnergyJ;
        core::TimeNs lastNs = 0;
        double lastWatts = 0.0;
        double totalJ = 0.0;
        quint64 resets = 0;
    };
    ComponentMeasurement account(const QString &source, const ComponentReading &r,
                                 core::TimeNs nowNs);

    std::vector<std::unique_ptr<PowerSource>> m_sources;
    QString m_counterIdBase;
    quint64 m_restarts = 0;
    QHash<QString, State> m_state; // by "<source>/<component>"
    core::TimeNs m_lastNs = 0;
    bool m_started = false;
};

} // namespace greenpulse::sim
