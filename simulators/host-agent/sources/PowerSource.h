#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace greenpulse::sim {

// One reading of one component of a power source (a RAPL zone, a hwmon channel, a GPU).
struct ComponentReading
{
    QString name; // "package-0", "dram-0", "amdgpu:PPT", "gpu0", "sim"
    QString uuid; // the device's own id where it has one (NVML: "GPU-8f1e..."); else empty
    // Energy in joules since the source was opened, kept monotonic by the source: hardware wraps
    // are unwrapped, and a counter that starts again (driver reload) is continued from where it
    // was (see `resets`). Absent when the component has no energy counter.
    std::optional<double> energyJ;
    // A power reading in watts when the hardware gives one (always for power-only components;
    // counters may add one to bridge a reset).
    std::optional<double> watts;
    // How often the hardware counter started again since open: the energy across such a restart
    // is an estimate, so a published counter must take a new id when this changes.
    quint64 resets = 0;
    QString error; // not empty: nothing could be read this time, and why
};

// A source of power measurements for the host agent: one class per kind of hardware interface
// (RaplSource, HwmonSource, NvmlSource, SimSource; IPMI/DCMI or Redfish would be one more each).
// Not thread-safe; read() is called once per sample.
class PowerSource
{
public:
    virtual ~PowerSource() = default;

    // "rapl", "hwmon", "nvml", "sim": the name on the command line (--source) and on the wire.
    virtual QString name() const = 0;
    // Looks for the hardware. True when at least one component can be read; describe() says what
    // was found and why something cannot be read either way.
    virtual bool open() = 0;
    // The components read() returns, in its order (only those that are summed).
    virtual QStringList components() const = 0;
    // One reading per component, in components() order.
    virtual QList<ComponentReading> read() = 0;
    // For --list-sources and the log, after open(): one line per zone, channel or device found,
    // with what it gives (energy counter or power readings), readable or not and why. Lines of
    // things found but not summed say why (e.g. "psys: not summed").
    virtual QStringList describe() const = 0;
    // The describe() lines about what was found but cannot be read (for the log: a zone that
    // only root may read must never pass as 0 W).
    virtual QStringList problems() const = 0;
    // False for the simulated source: its watts are not a measurement.
    virtual bool isMeasured() const { return true; }
};

} // namespace greenpulse::sim
