#include "HwmonSource.h"

#include <QDir>
#include <QMap>
#include <QRegularExpression>

namespace greenpulse::sim {

namespace {

// Drivers whose channels overlap another source or are a node meter themselves.
QString overlapNote(const QString &driver)
{
    if (driver == QLatin1String("power_meter")) {
        return QStringLiteral("a meter of the whole node (ACPI): not summed with the parts");
    }
    if (driver == QLatin1String("amd_energy") || driver == QLatin1String("zenergy")) {
        return QStringLiteral("the CPU energy RAPL reads: not summed");
    }
    return {};
}

} // namespace

HwmonSource::HwmonSource(QString sysfsRoot)
    : m_hwmon(SysfsFile::path(sysfsRoot, QStringLiteral("/sys/class/hwmon")))
{}

bool HwmonSource::open()
{
    m_channels.clear();
    m_lines.clear();
    for (const QString &id : SysfsFile::entries(m_hwmon, QStringLiteral("hwmon"))) {
        addDevice(id);
    }
    if (m_lines.isEmpty()) {
        m_lines << QStringLiteral("no hwmon power or energy channels in %1").arg(m_hwmon);
    }
    return std::any_of(m_channels.begin(), m_channels.end(),
                       [](const Channel &c) { return c.readable; });
}

void HwmonSource::addDevice(const QString &id)
{
    const QString dir = m_hwmon + QLatin1Char('/') + id;
    QString error;
    const auto nameText = SysfsFile::readText(dir + QStringLiteral("/name"), &error);
    if (!nameText) {
        return; // not a device we can name (nor one with power channels, in practice)
    }
    const QString driver = QString::fromUtf8(*nameText);
    static const QRegularExpression energyRe(QStringLiteral("^energy(\\d+)_input$"));
    static const QRegularExpression powerRe(QStringLiteral("^power(\\d+)_(average|input)$"));
    QMap<int, QString> energy;
    QMap<int, QString> power; // channel -> file; _average preferred over _input
    for (const QString &file : QDir(dir).entryList(QDir::Files | QDir::System, QDir::Name)) {
        if (const auto m = energyRe.match(file); m.hasMatch()) {
            energy.insert(m.captured(1).toInt(), file);
        } else if (const auto p = powerRe.match(file); p.hasMatch()) {
            const int n = p.captured(1).toInt();
            if (!power.contains(n) || p.captured(2) == QLatin1String("average")) {
                power.insert(n, file);
            }
        }
    }
    const bool counters = !energy.isEmpty();
    const QMap<int, QString> &chosen = counters ? energy : power;
    const QString overlap = overlapNote(driver);
    for (auto it = chosen.cbegin(); it != chosen.cend(); ++it) {
        const QString kind = counters ? QStringLiteral("energy") : QStringLiteral("power");
        Channel c;
        c.file = dir + QLatin1Char('/') + it.value();
        c.counter = counters;
        const QString labelFile = QStringLiteral("%1/%2%3_label").arg(dir, kind).arg(it.key());
        const QString label =
            QString::fromUtf8(SysfsFile::readText(labelFile, &error)
                                  .value_or(kind.toUtf8() + QByteArray::number(it.key())));
        // <driver>:<label>; no '/', '+' or '#', which the wire refuses in a component name.
        c.component = driver + QLatin1Char(':') + label;
        c.component.replace(QRegularExpression(QStringLiteral("[/+#[:cntrl:]]")),
                            QStringLiteral("_"));
        // Two devices of one driver (two amdgpu cards) must not share component names.
        for (const Channel &other : m_channels) {
            if (other.component == c.component) {
                c.component += QLatin1Char('@') + id;
                break;
            }
        }
        if (!overlap.isEmpty()) {
            m_lines << QStringLiteral("%1 %2 %3: %4").arg(id, driver, it.value(), overlap);
            continue;
        }
        const auto value = SysfsFile::readUnsigned(c.file, &error);
        if (!value) {
            const QString rootOnly = SysfsFile::rootOnlyNote(c.file);
            c.note =
                QStringLiteral("NOT READABLE: %1%2")
                    .arg(error, rootOnly.isEmpty() ? QString() : QStringLiteral("; ") + rootOnly);
        } else {
            c.readable = true;
            if (counters) {
                c.energy.feed(*value);
            }
            c.note = counters ? QStringLiteral("energy counter (µJ), summed")
                              : QStringLiteral("power readings (µW), summed");
        }
        m_lines << QStringLiteral("%1 %2 %3 as %4: %5")
                       .arg(id, driver, it.value(), c.component, c.note);
        m_channels.push_back(std::move(c));
    }
    if (counters && !power.isEmpty()) {
        m_lines << QStringLiteral("%1 %2: power channels not used (energy counters are)")
                       .arg(id, driver);
    }
}

QStringList HwmonSource::components() const
{
    QStringList names;
    for (const Channel &c : m_channels) {
        if (c.readable) {
            names << c.component;
        }
    }
    return names;
}

QList<ComponentReading> HwmonSource::read()
{
    QList<ComponentReading> readings;
    for (Channel &c : m_channels) {
        if (!c.readable) {
            continue;
        }
        ComponentReading r;
        r.name = c.component;
        QString error;
        const auto value = SysfsFile::readUnsigned(c.file, &error);
        if (!value) {
            r.error = error;
        } else if (c.counter) {
            c.energy.feed(*value);
        } else {
            r.watts = double(*value) * 1e-6;
        }
        if (c.counter) {
            r.energyJ = c.energy.joules();
            r.resets = c.energy.resets();
        }
        readings << r;
    }
    return readings;
}

QStringList HwmonSource::describe() const
{
    return m_lines;
}

QStringList HwmonSource::problems() const
{
    QStringList lines;
    for (const Channel &c : m_channels) {
        if (!c.readable) {
            lines << QStringLiteral("hwmon %1: %2").arg(c.file, c.note);
        }
    }
    return lines;
}

} // namespace greenpulse::sim
