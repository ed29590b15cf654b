// The footprint's options (docs/footprint.md, "Configuration"): --grid-zone, --grid-stale-s,
// --wue, --ewif, --embodied-kg, --lifetime-years through the one option table, and the config
// file's per-host and per-zone sections, checked and shown by --print-config.
#include "options/Options.h"

#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace greenpulse::core;

namespace {

QString writeFootprintConfig(const QTemporaryDir &dir, const QByteArray &text)
{
    const QString path = dir.filePath(QStringLiteral("footprint.conf"));
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(text);
    return path;
}

} // namespace

TEST(FootprintOptions, DefaultsAreLiEtAlsUsAveragesAndNoZoneNoEmbodied)
{
    Options o(QStringLiteral("test"), Options::Ledger);
    int code = -1;
    ASSERT_TRUE(
        o.parse({QStringLiteral("test"), QStringLiteral("--config"), QStringLiteral("/dev/null")},
                &code, QProcessEnvironment()));
    const FootprintConfig fp = o.ledgerConfig().footprint;
    EXPECT_EQ(fp, FootprintConfig{});
    EXPECT_DOUBLE_EQ(fp.wueLPerKwh, 0.55);
    EXPECT_DOUBLE_EQ(fp.ewifLPerKwh, 3.14);
    EXPECT_TRUE(fp.gridZone.isEmpty());
    EXPECT_EQ(fp.embodiedKg, 0);
    const QString described = o.describe().join(QLatin1Char('\n'));
    for (const char *name : {"grid-zone=", "grid-stale-s=7200", "wue=0.55", "ewif=3.14",
                             "embodied-kg=0", "lifetime-years=4"}) {
        EXPECT_TRUE(described.contains(QLatin1String(name))) << name;
    }
}

TEST(FootprintOptions, CommandLineEnvironmentAndConfigSections)
{
    QTemporaryDir dir;
    const QString conf = writeFootprintConfig(dir, "grid-zone=DE\n"
                                                   "wue=0.4\n"
                                                   "[host-zones]\n"
                                                   "gpu-01=FR\n"
                                                   "[zone-wue]\n"
                                                   "FR=0.2\n"
                                                   "[zone-ewif]\n"
                                                   "FR=1.1\n"
                                                   "[host-embodied-kg]\n"
                                                   "gpu-01=1500\n"
                                                   "[host-lifetime-years]\n"
                                                   "gpu-01=5\n");
    Options o(QStringLiteral("test"), Options::Ledger);
    int code = -1;
    QProcessEnvironment env;
    env.insert(QStringLiteral("GREENPULSE_EWIF"), QStringLiteral("2.5"));
    ASSERT_TRUE(o.parse({QStringLiteral("test"), QStringLiteral("--config"), conf,
                         QStringLiteral("--embodied-kg"), QStringLiteral("1000")},
                        &code, env));
    const FootprintConfig fp = o.ledgerConfig().footprint;
    EXPECT_EQ(fp.gridZone, QStringLiteral("DE"));
    EXPECT_DOUBLE_EQ(fp.wueLPerKwh, 0.4);
    EXPECT_DOUBLE_EQ(fp.ewifLPerKwh, 2.5);
    EXPECT_DOUBLE_EQ(fp.embodiedKg, 1000);
    EXPECT_EQ(fp.hostZones.value(QStringLiteral("gpu-01")), QStringLiteral("FR"));
    EXPECT_DOUBLE_EQ(fp.zoneWue.value(QStringLiteral("FR")), 0.2);
    EXPECT_DOUBLE_EQ(fp.zoneEwif.value(QStringLiteral("FR")), 1.1);
    EXPECT_DOUBLE_EQ(fp.hostEmbodiedKg.value(QStringLiteral("gpu-01")), 1500);
    EXPECT_DOUBLE_EQ(fp.hostLifetimeYears.value(QStringLiteral("gpu-01")), 5);
    const QStringList lines = o.describe();
    EXPECT_TRUE(lines.contains(QStringLiteral("[host-zones] gpu-01=FR  (config file)")));
    EXPECT_TRUE(lines.contains(QStringLiteral("ewif=2.5  (environment)")));
}

TEST(FootprintOptions, BadValuesStopTheProgram)
{
    QTemporaryDir dir;
    const QString conf = writeFootprintConfig(dir, "[zone-wue]\nDE=lots\n");
    Options a(QStringLiteral("test"), Options::Ledger);
    int code = -1;
    EXPECT_FALSE(a.parse({QStringLiteral("test"), QStringLiteral("--config"), conf}, &code,
                         QProcessEnvironment()));
    EXPECT_EQ(code, 2);
    Options b(QStringLiteral("test"), Options::Ledger);
    EXPECT_FALSE(
        b.parse({QStringLiteral("test"), QStringLiteral("--config"), QStringLiteral("/dev/null"),
                 QStringLiteral("--wue"), QStringLiteral("-1")},
                &code, QProcessEnvironment()));
    EXPECT_EQ(code, 2);
}
