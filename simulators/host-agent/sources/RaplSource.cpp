#include "RaplSource.h"

#include <QRegularExpression>
#include <QSet>

namespace greenpulse::sim {

RaplSource::RaplSource(QString sysfsRoot)
    : m_root(std::move(sysfsRoot)),
      m_powercap(SysfsFile::path(m_root, QStringLiteral("/sys/class/powercap")))
{}

QString RaplSource::zoneDir(const QString &id) const
{
    return m_powercap + QLatin1Char('/') + id;
}

bool RaplSource::open()
{
    m_zones.clear();
    m_skipped.clear();
    for (const QString &id : SysfsFile::entries(m_powercap, QStringLiteral("intel-rapl"))) {
        if (!id.startsWith(QLatin1String("intel-rapl:"))) {
            // intel-rapl-mmio:N is the same package through MMIO: counting it would count twice.
            if (id.startsWith(QLatin1String("intel-rapl-mmio:"))) {
                m_skipped
                    << QStringLiteral("%1: the package again through MMIO, not summed").arg(id);
            }
            continue;
        }
        Zone zone;
        zone.id = id;
        QString error;
        const auto name = SysfsFile::readText(zoneDir(id) + QStringLiteral("/name"), &error);
        if (!name) {
            m_skipped << QStringLiteral("%1: no name (%2), not summed").arg(id, error);
            continue;
        }
        zone.zoneName = QString::fromUtf8(*name);
        classify(zone);
        m_zones.push_back(std::move(zone));
    }
    // Two zones must never give one component name (e.g. two top-level dram zones).
    QSet<QString> used;
    for (Zone &zone : m_zones) {
        if (!zone.summed) {
            continue;
        }
        if (used.contains(zone.component)) {
            zone.component += QLatin1Char('@') + zone.id;
        }
        used.insert(zone.component);
        probe(zone);
    }
    return std::any_of(m_zones.begin(), m_zones.end(), [](const Zone &z) { return z.readable; });
}

void RaplSource::classify(Zone &zone) const
{
    static const QRegularExpression package(QStringLiteral("^package-(\\d+)$"));
    const QString parentId = zone.id.section(QLatin1Char(':'), 0, 1); // intel-rapl:N
    QString parentName;
    if (parentId != zone.id) {
        QString error;
        parentName = QString::fromUtf8(
            SysfsFile::readText(zoneDir(parentId) + QStringLiteral("/name"), &error)
                .value_or(QByteArray()));
    }
    if (package.match(zone.zoneName).hasMatch()) {
        zone.summed = true;
        zone.component = zone.zoneName;
    } else if (zone.zoneName == QLatin1String("dram")) {
        zone.summed = true;
        const auto m = package.match(parentName);
        zone.component =
            m.hasMatch() ? QStringLiteral("dram-") + m.captured(1) : QStringLiteral("dram");
    } else if (zone.zoneName == QLatin1String("core") || zone.zoneName == QLatin1String("uncore")) {
        zone.note = QStringLiteral("inside %1, not summed")
                        .arg(parentName.isEmpty() ? QStringLiteral("its package") : parentName);
    } else if (zone.zoneName == QLatin1String("psys")) {
        zone.note = QStringLiteral("the whole platform, never added to the other zones");
    } else {
        zone.note = QStringLiteral("unknown zone, not summed");
    }
}

void RaplSource::probe(Zone &zone) const
{
    const QString dir = zoneDir(zone.id);
    QString error;
    const auto range =
        SysfsFile::readUnsigned(dir + QStringLiteral("/max_energy_range_uj"), &error);
    zone.counter = EnergyCounter(1e-6, range.value_or(0));
    const QString energyFile = dir + QStringLiteral("/energy_uj");
    const auto energy = SysfsFile::readUnsigned(energyFile, &error);
    if (!energy) {
        const QString rootOnly = SysfsFile::rootOnlyNote(energyFile);
        zone.note =
            QStringLiteral("NOT READABLE: energy_uj: %1%2")
                .arg(error, rootOnly.isEmpty() ? QString() : QStringLiteral("; ") + rootOnly);
        return;
    }
    zone.readable = true;
    zone.counter.feed(*energy);
    zone.note = range ? QStringLiteral("energy counter (wraps at %1 J), summed")
                            .arg(double(*range) * 1e-6, 0, 'f', 0)
                      : QStringLiteral("energy counter (max_energy_range_uj unreadable: a value "
                                       "going back counts as a restart), summed");
}

QStringList RaplSource::components() const
{
    QStringList names;
    for (const Zone &zone : m_zones) {
        if (zone.readable) {
            names << zone.component;
        }
    }
    return names;
}

QList<ComponentReading> RaplSource::read()
{
    QList<ComponentReading> readings;
    for (Zone &zone : m_zones) {
        if (!zone.readable) {
            continue;
        }
        ComponentReading r;
        r.name = zone.component;
        QString error;
        const auto energy =
            SysfsFile::readUnsigned(zoneDir(zone.id) + QStringLiteral("/energy_uj"), &error);
        if (energy) {
            zone.counter.feed(*energy);
        } else {
            r.error = QStringLiteral("energy_uj: ") + error;
        }
        r.energyJ = zone.counter.joules();
        r.resets = zone.counter.resets();
        readings << r;
    }
    return readings;
}

QStringList RaplSource::describe() const
{
    QStringList lines;
    if (m_zones.empty() && m_skipped.isEmpty()) {
        lines << QStringLiteral("no powercap RAPL zones in %1 (no intel_rapl driver, or a CPU "
                                "without RAPL)")
                     .arg(m_powercap);
    }
    for (const Zone &zone : m_zones) {
        lines << QStringLiteral("%1 %2%3: %4")
                     .arg(zone.id, zone.zoneName,
                          zone.summed ? QStringLiteral(" as ") + zone.component : QString(),
                          zone.note);
    }
    return lines + m_skipped;
}

QStringList RaplSource::problems() const
{
    QStringList lines;
    for (const Zone &zone : m_zones) {
        if (zone.summed && !zone.readable) {
            lines << QStringLiteral("rapl %1 %2: %3").arg(zone.id, zone.zoneName, zone.note);
        }
    }
    return lines;
}

} // namespace greenpulse::sim
