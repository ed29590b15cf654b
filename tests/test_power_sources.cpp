// The host agent's power sources against trees the tests build under --sysfs-root and against the
// stand-in libnvidia-ml.so the tests build (there is no GPU, and no NVIDIA driver, here).
#include "PowerTestSupport.h"
#include "TestSupport.h"
#include "sources/HwmonSource.h"
#include "sources/NvmlSource.h"
#include "sources/PowerMeter.h"
#include "sources/RaplSource.h"
#include "sources/SourceSelection.h"

#include <gtest/gtest.h>

using namespace greenpulse;
using sim::PowerMeter;
using test::FakeNvml;
using test::FakeSysfs;

namespace {

constexpr core::TimeNs kSecond = 1'000'000'000;
constexpr core::TimeNs kT0 = 1'764'049'200LL * kSecond;
constexpr quint64 kRange = FakeSysfs::kRangeUj;

std::string text(const QStringList &lines)
{
    return lines.join(QLatin1Char('\n')).toStdString();
}

// Two sockets, whose zone indices do not follow the socket numbers; DRAM zones inside each
// package; core and uncore sub-zones; a psys zone; the MMIO copy of package 0.
void buildTwoSockets(FakeSysfs &tree)
{
    tree.addRaplZone(QStringLiteral("intel-rapl:0"), QStringLiteral("package-1"), 1'000'000);
    tree.addRaplZone(QStringLiteral("intel-rapl:0:0"), QStringLiteral("core"), 500'000);
    tree.addRaplZone(QStringLiteral("intel-rapl:0:1"), QStringLiteral("dram"), 100'000);
    tree.addRaplZone(QStringLiteral("intel-rapl:1"), QStringLiteral("psys"), 9'000'000);
    tree.addRaplZone(QStringLiteral("intel-rapl:2"), QStringLiteral("package-0"),
                     kRange - 10'000'000); // wraps within the next 10 J
    tree.addRaplZone(QStringLiteral("intel-rapl:2:0"), QStringLiteral("dram"), 200'000);
    tree.addRaplZone(QStringLiteral("intel-rapl:2:1"), QStringLiteral("uncore"), 300'000);
    tree.addRaplZone(QStringLiteral("intel-rapl-mmio:0"), QStringLiteral("package-0"), 0);
}

std::vector<std::unique_ptr<sim::PowerSource>> one(std::unique_ptr<sim::PowerSource> source)
{
    std::vector<std::unique_ptr<sim::PowerSource>> sources;
    sources.push_back(std::move(source));
    return sources;
}

} // namespace

TEST(RaplSource, SumsPackagesAndDramFoundByName)
{
    FakeSysfs tree;
    buildTwoSockets(tree);
    auto rapl = std::make_unique<sim::RaplSource>(tree.root());
    ASSERT_TRUE(rapl->open()) << text(rapl->describe());
    EXPECT_EQ(rapl->components(),
              (QStringList{QStringLiteral("package-1"), QStringLiteral("dram-1"),
                           QStringLiteral("package-0"), QStringLiteral("dram-0")}));
    EXPECT_TRUE(rapl->problems().isEmpty());
    const QString described = rapl->describe().join(QLatin1Char('\n'));
    EXPECT_TRUE(
        described.contains(QStringLiteral("intel-rapl:0:0 core: inside package-1, not summed")))
        << described.toStdString();
    EXPECT_TRUE(
        described.contains(QStringLiteral("intel-rapl:2:1 uncore: inside package-0, not summed")));
    EXPECT_TRUE(described.contains(QStringLiteral("psys: the whole platform, never added")));
    EXPECT_TRUE(
        described.contains(QStringLiteral("intel-rapl-mmio:0: the package again through MMIO")));

    PowerMeter meter(one(std::move(rapl)), QStringLiteral("m"));
    meter.start(kT0);
    // Two seconds later: package-1 +100 J, dram-1 +10 J, package-0 +30 J across the wrap,
    // dram-0 +6 J; core, uncore and psys move too but are never added.
    tree.setRaplEnergy(QStringLiteral("intel-rapl:0"), 101'000'000);
    tree.setRaplEnergy(QStringLiteral("intel-rapl:0:1"), 10'100'000);
    tree.setRaplEnergy(QStringLiteral("intel-rapl:2"), 20'000'000); // wrapped at kRange
    tree.setRaplEnergy(QStringLiteral("intel-rapl:2:0"), 6'200'000);
    tree.setRaplEnergy(QStringLiteral("intel-rapl:0:0"), 90'000'000);
    tree.setRaplEnergy(QStringLiteral("intel-rapl:2:1"), 90'000'000);
    tree.setRaplEnergy(QStringLiteral("intel-rapl:1"), 900'000'000);
    const sim::Measurement m = meter.measure(kT0 + 2 * kSecond);
    EXPECT_TRUE(m.errors.isEmpty()) << text(m.errors);
    EXPECT_DOUBLE_EQ(m.intervalS, 2.0);
    EXPECT_NEAR(m.energyJ, 100 + 10 + 30 + 6, 1e-9);
    EXPECT_NEAR(m.watts, (100 + 10 + 30 + 6) / 2.0, 1e-9);
    ASSERT_EQ(m.components.size(), 4);
    EXPECT_EQ(m.components[2].name, QStringLiteral("package-0"));
    EXPECT_NEAR(m.components[2].watts, 15.0, 1e-9); // the wrap, unwrapped
    EXPECT_TRUE(m.components[2].counter);
    EXPECT_EQ(m.counterId, QStringLiteral("m-0")); // a wrap is not a restart
    EXPECT_EQ(m.sources, QStringList{QStringLiteral("rapl")});
    EXPECT_TRUE(m.measured);
}

TEST(RaplSource, ZoneReadableByRootOnlyIsReportedNeverZero)
{
    FakeSysfs tree;
    tree.addRaplZone(QStringLiteral("intel-rapl:0"), QStringLiteral("package-0"), 1000);
    tree.addRaplZone(QStringLiteral("intel-rapl:0:0"), QStringLiteral("dram"), 1000);
    tree.makeRootOnly(QStringLiteral("intel-rapl:0")); // see FakeSysfs::makeRootOnly
    tree.makeRootOnly(QStringLiteral("intel-rapl:0:0"));
    sim::RaplSource rapl(tree.root());
    EXPECT_FALSE(rapl.open());
    EXPECT_TRUE(rapl.components().isEmpty());
    ASSERT_EQ(rapl.problems().size(), 2) << text(rapl.describe());
    EXPECT_TRUE(rapl.problems().first().contains(QStringLiteral(
        "NOT READABLE: energy_uj: Is a directory; mode 0400 owner root: readable by root only")))
        << text(rapl.problems());

    // auto says why it simulates; an explicit --source rapl refuses to start.
    const sim::SourceSettings settings{tree.root(),
                                       QStringLiteral("/nonexistent/libnvidia-ml.so.1")};
    const sim::SourceSelection automatic = sim::selectSources(QStringLiteral("auto"), settings);
    EXPECT_TRUE(automatic.error.isEmpty());
    EXPECT_TRUE(automatic.simulated);
    EXPECT_TRUE(automatic.sources.empty());
    const QString warnings = automatic.warnings.join(QLatin1Char('\n'));
    EXPECT_TRUE(warnings.contains(QStringLiteral("readable by root only")))
        << warnings.toStdString();
    EXPECT_TRUE(warnings.contains(QStringLiteral("SIMULATED")));
    const sim::SourceSelection explicitRapl = sim::selectSources(QStringLiteral("rapl"), settings);
    EXPECT_FALSE(explicitRapl.simulated);
    EXPECT_TRUE(explicitRapl.error.contains(QStringLiteral("readable by root only")))
        << explicitRapl.error.toStdString();
}

TEST(RaplSource, OneUnreadableZoneLeavesTheOthersAndSaysSo)
{
    FakeSysfs tree;
    tree.addRaplZone(QStringLiteral("intel-rapl:0"), QStringLiteral("package-0"), 1000);
    tree.addRaplZone(QStringLiteral("intel-rapl:1"), QStringLiteral("package-1"), 1000);
    tree.makeRootOnly(QStringLiteral("intel-rapl:1"));
    const sim::SourceSelection s =
        sim::selectSources(QStringLiteral("rapl"), sim::SourceSettings{tree.root(), {}});
    ASSERT_TRUE(s.error.isEmpty()) << s.error.toStdString();
    ASSERT_EQ(s.sources.size(), 1u);
    EXPECT_EQ(s.sources[0]->components(), QStringList{QStringLiteral("package-0")});
    ASSERT_EQ(s.warnings.size(), 1);
    EXPECT_TRUE(s.warnings[0].contains(QStringLiteral("intel-rapl:1 package-1")))
        << text(s.warnings);
}

TEST(HwmonSource, EnergyCountersElsePowerReadings)
{
    FakeSysfs tree;
    // amdgpu: power only; _average preferred over _input; a label.
    tree.setHwmon(QStringLiteral("hwmon0"), QStringLiteral("name"), "amdgpu");
    tree.setHwmon(QStringLiteral("hwmon0"), QStringLiteral("power1_average"), "45000000");
    tree.setHwmon(QStringLiteral("hwmon0"), QStringLiteral("power1_input"), "99000000");
    tree.setHwmon(QStringLiteral("hwmon0"), QStringLiteral("power1_label"), "PPT");
    // A temperature sensor: nothing to read.
    tree.setHwmon(QStringLiteral("hwmon1"), QStringLiteral("name"), "acpitz");
    tree.setHwmon(QStringLiteral("hwmon1"), QStringLiteral("temp1_input"), "45000");
    // A board with energy counters (µJ), and a power channel not used beside them.
    tree.setHwmon(QStringLiteral("hwmon2"), QStringLiteral("name"), "board");
    tree.setHwmon(QStringLiteral("hwmon2"), QStringLiteral("energy1_input"), "1000000");
    tree.setHwmon(QStringLiteral("hwmon2"), QStringLiteral("energy2_input"), "5000000");
    tree.setHwmon(QStringLiteral("hwmon2"), QStringLiteral("power1_input"), "7000000");
    // The ACPI node meter: listed, never summed with the parts.
    tree.setHwmon(QStringLiteral("hwmon3"), QStringLiteral("name"), "power_meter");
    tree.setHwmon(QStringLiteral("hwmon3"), QStringLiteral("power1_average"), "400000000");
    // A second card of the same driver, and a label with a '/' (refused on the wire).
    tree.setHwmon(QStringLiteral("hwmon4"), QStringLiteral("name"), "amdgpu");
    tree.setHwmon(QStringLiteral("hwmon4"), QStringLiteral("power1_input"), "10000000");
    tree.setHwmon(QStringLiteral("hwmon4"), QStringLiteral("power1_label"), "PPT");
    tree.setHwmon(QStringLiteral("hwmon5"), QStringLiteral("name"), "psu");
    tree.setHwmon(QStringLiteral("hwmon5"), QStringLiteral("power1_input"), "20000000");
    tree.setHwmon(QStringLiteral("hwmon5"), QStringLiteral("power1_label"), "12V/main");
    auto hwmon = std::make_unique<sim::HwmonSource>(tree.root());
    ASSERT_TRUE(hwmon->open());
    EXPECT_EQ(hwmon->components(),
              (QStringList{QStringLiteral("amdgpu:PPT"), QStringLiteral("board:energy1"),
                           QStringLiteral("board:energy2"), QStringLiteral("amdgpu:PPT@hwmon4"),
                           QStringLiteral("psu:12V_main")}));
    const QString described = hwmon->describe().join(QLatin1Char('\n'));
    EXPECT_TRUE(
        described.contains(QStringLiteral("power_meter power1_average: a meter of the whole node")))
        << described.toStdString();
    EXPECT_TRUE(described.contains(QStringLiteral("power1_average as amdgpu:PPT: power readings")));

    PowerMeter meter(one(std::move(hwmon)), QStringLiteral("h"));
    meter.start(kT0);
    tree.setHwmon(QStringLiteral("hwmon0"), QStringLiteral("power1_average"), "50000000");
    tree.setHwmon(QStringLiteral("hwmon2"), QStringLiteral("energy1_input"), "5000000"); // +4 J
    tree.setHwmon(QStringLiteral("hwmon2"), QStringLiteral("energy2_input"), "6000000"); // +1 J
    const sim::Measurement m = meter.measure(kT0 + kSecond / 2);
    EXPECT_NEAR(m.watts, 50.0 + 8.0 + 2.0 + 10.0 + 20.0, 1e-9);
    EXPECT_NEAR(m.energyJ, (50.0 + 10.0 + 20.0) * 0.5 + 4.0 + 1.0, 1e-9);
}

TEST(NvmlSource, CounterPreferredPowerFallbackAndDriverReload)
{
    // The stand-in library: no GPU here. Device 0 has an energy counter, device 1 does not.
    FakeNvml nvml;
    nvml.setEnvironment();
    nvml.setDevices({{1'000'000, 250'000, 0}, {std::nullopt, 70'000, 0}});
    auto source = std::make_unique<sim::NvmlSource>(FakeNvml::library());
    ASSERT_TRUE(source->open()) << text(source->describe());
    EXPECT_EQ(source->components(), (QStringList{QStringLiteral("gpu0"), QStringLiteral("gpu1")}));
    const QString described = source->describe().join(QLatin1Char('\n'));
    EXPECT_TRUE(described.contains(QStringLiteral(
        "gpu0 Stand-in GPU 0 GPU-00000000-0000-0000-0000-000000000000: energy counter (mJ)")))
        << described.toStdString();
    EXPECT_TRUE(described.contains(QStringLiteral("gpu1 Stand-in GPU 1")));
    EXPECT_TRUE(described.contains(
        QStringLiteral("no energy counter (Not Supported (3)): power readings")));

    PowerMeter meter(one(std::move(source)), QStringLiteral("n"));
    meter.start(kT0);
    nvml.setDevices({{1'300'000, 250'000, 0}, {std::nullopt, 80'000, 0}}); // +300 J in 1 s
    sim::Measurement m = meter.measure(kT0 + kSecond);
    EXPECT_NEAR(m.components[0].watts, 300.0, 1e-9); // from the counter, not the 250 W reading
    EXPECT_NEAR(m.components[1].watts, 80.0, 1e-9);
    EXPECT_NEAR(m.watts, 380.0, 1e-9);
    EXPECT_EQ(m.counterId, QStringLiteral("n-0"));

    // The driver is reloaded: its counter starts again from 0 (now 40 J). The interval takes the
    // power reading; the meter's counter goes on (monotonic) under a new id.
    nvml.setDevices({{40'000, 260'000, 0}, {std::nullopt, 80'000, 0}});
    m = meter.measure(kT0 + 2 * kSecond);
    EXPECT_NEAR(m.components[0].watts, 260.0, 1e-9);
    EXPECT_NEAR(m.components[0].energyJ, 300.0 + 40.0, 1e-9);
    EXPECT_EQ(m.counterId, QStringLiteral("n-1"));
    nvml.setDevices({{340'000, 260'000, 0}, {std::nullopt, 80'000, 0}}); // +300 J
    m = meter.measure(kT0 + 3 * kSecond);
    EXPECT_NEAR(m.components[0].watts, 300.0, 1e-9);
    EXPECT_EQ(m.counterId, QStringLiteral("n-1"));

    // The GPU is lost for one read: its average is held, its energy caught up at the next read,
    // and NVML is initialised again.
    const int initsBefore = nvml.inits();
    nvml.setDevices({{640'000, 260'000, 15}, {std::nullopt, 80'000, 0}});
    m = meter.measure(kT0 + 4 * kSecond);
    ASSERT_EQ(m.errors.size(), 1);
    EXPECT_TRUE(m.errors[0].contains(QStringLiteral("nvml/gpu0: GPU is lost"))) << text(m.errors);
    EXPECT_NEAR(m.components[0].watts, 300.0, 1e-9);
    nvml.setDevices({{940'000, 260'000, 0}, {std::nullopt, 80'000, 0}});
    m = meter.measure(kT0 + 5 * kSecond);
    EXPECT_TRUE(m.errors.isEmpty());
    EXPECT_EQ(nvml.inits(), initsBefore + 1);
    EXPECT_NEAR(m.components[0].watts, 300.0, 1e-9); // 600 J over the two seconds since
    EXPECT_NEAR(m.components[0].energyJ, 300.0 + 40.0 + 300.0 + 600.0, 1e-9);
}

TEST(NvmlSource, NoLibraryMeansNotFound)
{
    sim::NvmlSource nvml(QStringLiteral("/nonexistent/libnvidia-ml.so.1"));
    EXPECT_FALSE(nvml.open());
    EXPECT_TRUE(nvml.describe().value(0).startsWith(QStringLiteral("cannot load")))
        << text(nvml.describe());
}

TEST(SourceSelection, RejectsUnknownNames)
{
    const sim::SourceSelection s =
        sim::selectSources(QStringLiteral("rapl,ipmi"), sim::SourceSettings{});
    EXPECT_TRUE(s.error.contains(QStringLiteral("unknown power source \"ipmi\"")))
        << s.error.toStdString();
}

namespace {
// A source that replays scripted readings: one list of components per read().
class ScriptedSource : public sim::PowerSource
{
public:
    explicit ScriptedSource(QList<QList<sim::ComponentReading>> script)
        : m_script(std::move(script))
    {}
    QString name() const override { return QStringLiteral("scripted"); }
    bool open() override { return true; }
    QStringList components() const override { return {QStringLiteral("a")}; }
    QList<sim::ComponentReading> read() override { return m_script.takeFirst(); }
    QStringList describe() const override { return {}; }
    QStringList problems() const override { return {}; }

private:
    QList<QList<sim::ComponentReading>> m_script;
};

sim::ComponentReading power(double watts)
{
    sim::ComponentReading r;
    r.name = QStringLiteral("a");
    r.watts = watts;
    return r;
}

sim::ComponentReading failed()
{
    sim::ComponentReading r;
    r.name = QStringLiteral("a");
    r.error = QStringLiteral("EIO");
    return r;
}
} // namespace

TEST(PowerMeter, PowerOnlyReadingStandsForItsIntervalAndAMissedOneIsHeld)
{
    PowerMeter meter(one(std::make_unique<ScriptedSource>(QList<QList<sim::ComponentReading>>{
                         {power(80)}, {power(100)}, {failed()}, {power(50)}})),
                     QStringLiteral("p"));
    meter.start(kT0);
    sim::Measurement m = meter.measure(kT0 + 2 * kSecond);
    EXPECT_DOUBLE_EQ(m.watts, 100.0);
    EXPECT_DOUBLE_EQ(m.energyJ, 200.0);
    m = meter.measure(kT0 + 3 * kSecond); // not read: 100 W held, and said
    EXPECT_DOUBLE_EQ(m.watts, 100.0);
    EXPECT_DOUBLE_EQ(m.energyJ, 300.0);
    EXPECT_EQ(m.errors, QStringList{QStringLiteral("scripted/a: EIO")});
    m = meter.measure(kT0 + 4 * kSecond);
    EXPECT_DOUBLE_EQ(m.watts, 50.0);
    EXPECT_DOUBLE_EQ(m.energyJ, 350.0);
    EXPECT_TRUE(m.errors.isEmpty());
    EXPECT_EQ(m.counterId, QStringLiteral("p-0"));
}
