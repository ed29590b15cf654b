#pragma once

#include "PowerSource.h"
#include "SysfsFile.h"

#include <vector>

namespace greenpulse::sim {

// Power and energy channels of hwmon drivers (<sysfs root>/sys/class/hwmon/hwmon*/, each with a
// `name`): energyN_input (µJ counters) when a device has them, else powerN_average or
// powerN_input (µW readings). Covers amdgpu and many boards. Drivers that measure what another
// source or a node meter measures (power_meter: the whole node; amd_energy, zenergy: the CPU that
// RAPL reads) are listed but not summed, so nothing is counted twice.
class HwmonSource : public PowerSource
{
public:
    explicit HwmonSource(QString sysfsRoot);

    QString name() const override { return QStringLiteral("hwmon"); }
    bool open() override;
    QStringList components() const override;
    QList<ComponentReading> read() override;
    QStringList describe() const override;
    QStringList problems() const override;

private:
    struct Channel
    {
        QString file;      // full path of energyN_input or powerN_average/_input
        QString component; // <driver name>:<label or energyN/powerN>
        bool counter = false;
        bool readable = false;
        QString note;
        EnergyCounter energy{1e-6, 0};
    };
    void addDevice(const QString &id);

    QString m_hwmon;
    std::vector<Channel> m_channels;
    QStringList m_lines;
};

} // namespace greenpulse::sim
