#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>

namespace greenpulse::sim {

// Small sysfs attribute files (powercap, hwmon), read with the reason when they cannot be.
struct SysfsFile
{
    // `root` prefixes every absolute sysfs path (--sysfs-root; "/" or empty: the real one).
    static QString path(const QString &root, const QString &absolutePath);
    // Sorted entries of `dir` whose names start with `prefix` (empty when it does not exist).
    static QStringList entries(const QString &dir, const QString &prefix);

    // The file's text, trimmed; nullopt with *error set (e.g. "Permission denied").
    static std::optional<QByteArray> readText(const QString &file, QString *error);
    // An unsigned integer attribute (energy_uj, power1_input...).
    static std::optional<quint64> readUnsigned(const QString &file, QString *error);
    // When the file's mode lets only its owner root read it, as energy_uj since Linux 5.10: a
    // sentence saying so and what works; else empty. Independent of who runs the agent, so a
    // zone that root reads but the service user will not is still reported. When it lets root
    // and a group read it (the package's tmpfiles rule) and this process is not in that group:
    // a sentence naming the group.
    static QString rootOnlyNote(const QString &file);
};

// A hardware energy counter made monotonic: raw values in some unit (µJ, mJ), unwrapped at
// `range` (RAPL's max_energy_range_uj; 0: unknown) and continued across restarts (a value going
// back with no known range: the driver was reloaded; the new value is the energy since then).
class EnergyCounter
{
public:
    EnergyCounter(double joulesPerUnit, quint64 range)
        : m_joulesPerUnit(joulesPerUnit), m_range(range)
    {}

    void feed(quint64 raw); // the first value starts the count at 0
    double joules() const { return double(m_total) * m_joulesPerUnit; }
    quint64 wraps() const { return m_wraps; }
    quint64 resets() const { return m_resets; }
    bool started() const { return m_last.has_value(); }

private:
    double m_joulesPerUnit;
    quint64 m_range;
    std::optional<quint64> m_last;
    quint64 m_total = 0;
    quint64 m_wraps = 0;
    quint64 m_resets = 0;
};

} // namespace greenpulse::sim
