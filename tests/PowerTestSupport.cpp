#include "PowerTestSupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <gtest/gtest.h>
#include <sys/stat.h>

namespace greenpulse::test {

namespace {
void writeAtomically(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path + QStringLiteral(".new"));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate)) << path.toStdString();
    file.write(text);
    file.close();
    ASSERT_EQ(::rename(QFile::encodeName(file.fileName()).constData(),
                       QFile::encodeName(path).constData()),
              0);
}
} // namespace

FakeSysfs::FakeSysfs()
{
    QDir(m_dir.path()).mkpath(QStringLiteral("sys/class/powercap"));
    QDir(m_dir.path()).mkpath(QStringLiteral("sys/class/hwmon"));
}

void FakeSysfs::write(const QString &relativePath, const QByteArray &text)
{
    writeAtomically(m_dir.filePath(relativePath), text);
}

void FakeSysfs::addRaplZone(const QString &id, const QString &name, quint64 energyUj,
                            quint64 rangeUj)
{
    const QString dir = QStringLiteral("sys/class/powercap/") + id + QLatin1Char('/');
    write(dir + QStringLiteral("name"), name.toUtf8() + '\n');
    write(dir + QStringLiteral("max_energy_range_uj"), QByteArray::number(rangeUj) + '\n');
    setRaplEnergy(id, energyUj);
}

void FakeSysfs::setRaplEnergy(const QString &id, quint64 energyUj)
{
    write(QStringLiteral("sys/class/powercap/%1/energy_uj").arg(id),
          QByteArray::number(energyUj) + '\n');
}

void FakeSysfs::makeRootOnly(const QString &id)
{
    const QString path = m_dir.filePath(QStringLiteral("sys/class/powercap/%1/energy_uj").arg(id));
    QFile::remove(path);
    ASSERT_TRUE(QDir().mkpath(path));
    ASSERT_EQ(::chmod(QFile::encodeName(path).constData(), 0400), 0);
}

void FakeSysfs::setHwmon(const QString &id, const QString &file, const QByteArray &text)
{
    write(QStringLiteral("sys/class/hwmon/%1/%2").arg(id, file), text + '\n');
}

FakeNvml::FakeNvml() = default;

QString FakeNvml::library()
{
    return QStringLiteral(GREENPULSE_FAKE_NVML_LIBRARY);
}

QString FakeNvml::environment() const
{
    return QStringLiteral("GREENPULSE_FAKE_NVML_STATE=") + stateFile();
}

void FakeNvml::setEnvironment() const
{
    qputenv("GREENPULSE_FAKE_NVML_STATE", QFile::encodeName(stateFile()));
}

void FakeNvml::setDevices(const QList<Device> &devices)
{
    QByteArray text = "# energy_mJ power_mW error\n";
    const auto field = [](const std::optional<quint64> &v) {
        return v ? QByteArray::number(*v) : QByteArray("-");
    };
    for (const Device &d : devices) {
        text +=
            field(d.energyMj) + ' ' + field(d.powerMw) + ' ' + QByteArray::number(d.error) + '\n';
    }
    writeAtomically(stateFile(), text);
}

int FakeNvml::inits() const
{
    QFile file(stateFile() + QStringLiteral(".inits"));
    if (!file.open(QIODevice::ReadOnly)) {
        return 0;
    }
    return int(file.readAll().count('\n'));
}

} // namespace greenpulse::test
