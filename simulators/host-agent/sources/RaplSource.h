#pragma once

#include "PowerSource.h"
#include "SysfsFile.h"

#include <vector>

namespace greenpulse::sim {

// CPU package and DRAM energy through the powercap interface of the intel_rapl driver
// (<sysfs root>/sys/class/powercap/intel-rapl:*; AMD Zen too since Linux 5.8). Zones are known
// by their `name` file, never by their index: `package-N` and `dram` zones are summed; `core` and
// `uncore` lie inside their package and `psys` covers the whole platform, so they are listed but
// never added. energy_uj is unwrapped at max_energy_range_uj.
class RaplSource : public PowerSource
{
public:
    explicit RaplSource(QString sysfsRoot);

    QString name() const override { return QStringLiteral("rapl"); }
    bool open() override;
    QStringList components() const override;
    QList<ComponentReading> read() override;
    QStringList describe() const override;
    QStringList problems() const override;

private:
    struct Zone
    {
        QString id;        // directory name, e.g. intel-rapl:0:1 (for messages only)
        QString zoneName;  // its name file: package-0, dram, core, uncore, psys...
        QString component; // summed zones: package-0, dram-0...
        QString note;      // why not summed, or why not readable
        bool summed = false;
        bool readable = false;
        EnergyCounter counter{1e-6, 0};
    };
    QString zoneDir(const QString &id) const;
    void classify(Zone &zone) const;
    void probe(Zone &zone) const;

    QString m_root;
    QString m_powercap;
    std::vector<Zone> m_zones;
    QStringList m_skipped;
};

} // namespace greenpulse::sim
