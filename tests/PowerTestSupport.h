#pragma once

// Fakes of the hardware the host agent's power sources read: a sysfs tree (powercap RAPL zones,
// hwmon devices) under a temporary --sysfs-root, and the state of the stand-in libnvidia-ml.so
// the tests build (tests/support/fake-nvml: there is no GPU and no NVIDIA driver here).

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <optional>

namespace greenpulse::test {

// Files are replaced atomically (write, rename), as the agent may read them at any moment.
class FakeSysfs
{
public:
    FakeSysfs();
    QString root() const { return m_dir.path(); }

    // <root>/sys/class/powercap/<id>/{name,energy_uj,max_energy_range_uj}
    void addRaplZone(const QString &id, const QString &name, quint64 energyUj,
                     quint64 rangeUj = kRangeUj);
    void setRaplEnergy(const QString &id, quint64 energyUj);
    // energy_uj as Linux 5.10+ leaves it: readable by root only. The tests run as root, whom a
    // mode 0400 file would not stop; so energy_uj becomes a directory with mode 0400 owned by
    // root: it cannot be read as a file by anyone, and its mode is what the agent checks to say
    // "readable by root only".
    void makeRootOnly(const QString &id);
    // <root>/sys/class/hwmon/<id>/<file>
    void setHwmon(const QString &id, const QString &file, const QByteArray &text);

    void write(const QString &relativePath, const QByteArray &text);

    static constexpr quint64 kRangeUj = 262143328850ULL; // a common max_energy_range_uj

private:
    QTemporaryDir m_dir;
};

// The stand-in NVML's devices (see FakeNvml.cpp for the state file).
class FakeNvml
{
public:
    struct Device
    {
        std::optional<quint64> energyMj; // nullopt: no energy counter (before Volta)
        std::optional<quint64> powerMw;
        int error = 0; // an NVML error code every call returns
    };
    FakeNvml();
    static QString library(); // the stand-in libnvidia-ml.so built with the tests
    QString stateFile() const { return m_dir.filePath(QStringLiteral("nvml-state")); }
    QString environment() const; // GREENPULSE_FAKE_NVML_STATE=<file>, for a child process
    void setEnvironment() const; // the same for this process
    void setDevices(const QList<Device> &devices);
    int inits() const; // nvmlInit_v2 calls so far

private:
    QTemporaryDir m_dir;
};

} // namespace greenpulse::test
