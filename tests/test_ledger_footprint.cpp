// The footprint beyond IT energy (docs/footprint.md, docs/accounting.md "Carbon, water and
// embodied carbon"): carbon at the grid intensity in force in the host's zone (each interval cut
// where it changes), stale feeds, late values, the zone resolution order, facility energy, water
// on and off site, and embodied carbon shared like energy. Exact values on the pure Ledger.
#include "LedgerTestSupport.h"
#include "accounting/Ledger.h"

#include <gtest/gtest.h>

using namespace greenpulse::core;
using namespace greenpulse::test;
using namespace greenpulse::test::ledger;

namespace {

constexpr double kJoulesPerKwh = 3.6e6;
const QString kHost = QStringLiteral("h");
const QString kJob = QStringLiteral("J");

GridIntensity intensity(const QString &zone, double seconds, double g,
                        const QString &source = QStringLiteral("test"))
{
    GridIntensity v;
    v.zone = zone;
    v.gCo2ePerKwh = g;
    v.timestampNs = at(seconds);
    v.receiptNs = at(seconds);
    v.source = source;
    return v;
}

PowerSample zoned(const QString &host, double seconds, double watts, const QString &zone)
{
    PowerSample s = power(host, seconds, watts);
    s.zone = zone;
    return s;
}

JobSummary jobOf(const Ledger &ledger, const QString &id)
{
    const auto j = ledger.job(id);
    EXPECT_TRUE(j.has_value()) << id.toStdString();
    return j.value_or(JobSummary{});
}

// `watts` on `host` every `step` seconds over [from, to], in `zone` (empty: none in the sample).
void run(Ledger &ledger, const QString &host, double from, double to, double step, double watts,
         const QString &zone = {})
{
    for (double t = from; t <= to + 1e-9; t += step) {
        ledger.addPower(zoned(host, t, watts, zone));
    }
}

} // namespace

TEST(LedgerFootprint, CarbonFollowsTheIntensityInForceCutMidInterval)
{
    ManualClock clock{at(0)};
    LedgerConfig cfg;
    cfg.pue = 1.5;
    Ledger ledger{cfg, clock};
    ledger.addGridIntensity(intensity(QStringLiteral("DE"), 0, 200));
    ledger.addGridIntensity(intensity(QStringLiteral("DE"), 10, 800));
    ledger.applyControl(control(JobStatus::Start, kJob, 0, kHost));
    // Samples 3 s apart: the change at 10 s falls inside the interval (9, 12].
    ledger.applyControl(control(JobStatus::End, kJob, 20, kHost));
    run(ledger, kHost, 0, 24, 3, 1000, QStringLiteral("DE"));

    const JobSummary j = jobOf(ledger, kJob);
    const double kwhPer10s = 1000.0 * 10 / kJoulesPerKwh;
    expectRelative(j.kwh, 2 * kwhPer10s);
    // The sliced sum: 10 s at 200 g, 10 s at 800 g, each x PUE.
    const double expected = kwhPer10s * 1.5 * 0.200 + kwhPer10s * 1.5 * 0.800;
    expectRelative(j.co2eKg, expected, 1e-6);
    expectRelative(j.footprint.facilityKwh, 2 * kwhPer10s * 1.5);
    EXPECT_DOUBLE_EQ(j.footprint.minGPerKwh, 200);
    EXPECT_DOUBLE_EQ(j.footprint.maxGPerKwh, 800);
    EXPECT_EQ(j.footprint.sources, QStringList{QStringLiteral("test@DE")});
    EXPECT_EQ(j.footprint.staleSeconds, 0);
    EXPECT_EQ(j.footprint.fallbackSeconds, 0);
}

TEST(LedgerFootprint, NoZoneKeepsTheConstantAsBefore)
{
    ManualClock clock{at(0)};
    LedgerConfig cfg;
    cfg.pue = 1.2;
    Ledger ledger{cfg, clock};
    ledger.addGridIntensity(intensity(QStringLiteral("DE"), 0, 900)); // no host is in DE
    ledger.applyControl(control(JobStatus::Start, kJob, 0, kHost));
    run(ledger, kHost, 0, 10, 1, 360);
    const JobSummary j = jobOf(ledger, kJob);
    expectRelative(j.co2eKg, j.kwh * 1.2 * cfg.carbonKgPerKwh);
    EXPECT_EQ(j.footprint.sources, QStringList{QStringLiteral("constant")});
    EXPECT_DOUBLE_EQ(j.footprint.fallbackSeconds, 10);
    EXPECT_EQ(ledger.gridCounters().fallbackSeconds, 0); // only hosts with a zone count there
}

TEST(LedgerFootprint, BeforeTheZonesFirstValueTheConstantApplies)
{
    ManualClock clock{at(0)};
    LedgerConfig cfg;
    Ledger ledger{cfg, clock};
    ledger.addGridIntensity(intensity(QStringLiteral("FR"), 5, 50));
    ledger.applyControl(control(JobStatus::Start, kJob, 0, kHost));
    run(ledger, kHost, 0, 10, 1, 3600, QStringLiteral("FR"));
    const JobSummary j = jobOf(ledger, kJob);
    const double kwh5s = 3600.0 * 5 / kJoulesPerKwh;
    expectRelative(j.co2eKg, kwh5s * cfg.carbonKgPerKwh + kwh5s * 0.050);
    EXPECT_DOUBLE_EQ(j.footprint.fallbackSeconds, 5);
    EXPECT_DOUBLE_EQ(ledger.gridCounters().fallbackSeconds, 5);
    EXPECT_EQ(j.footprint.sources,
              (QStringList{QStringLiteral("constant"), QStringLiteral("test@FR")}));
}

TEST(LedgerFootprint, SilentFeedKeepsItsLastValueCountedAndFlaggedStale)
{
    ManualClock clock{at(0)};
    LedgerConfig cfg;
    cfg.footprint.gridStaleSeconds = 5;
    Ledger ledger{cfg, clock};
    ledger.addGridIntensity(intensity(QStringLiteral("DE"), 0, 400));
    // A forecast for later, received at 0 s: heard is its receipt time, not its timestamp.
    GridIntensity forecast = intensity(QStringLiteral("DE"), 1000, 100);
    forecast.receiptNs = at(0);
    forecast.estimated = true;
    ledger.addGridIntensity(forecast);
    ledger.applyControl(control(JobStatus::Start, kJob, 0, kHost));
    run(ledger, kHost, 0, 20, 3, 1800, QStringLiteral("DE")); // 0, 3, ... 18: stale from 5 s
    const JobSummary j = jobOf(ledger, kJob);
    expectRelative(j.co2eKg, j.kwh * 0.400); // the last value holds
    EXPECT_DOUBLE_EQ(j.footprint.staleSeconds, 13);
    EXPECT_DOUBLE_EQ(ledger.gridCounters().staleSeconds, 13);
    clock.set(at(18));
    ASSERT_EQ(ledger.zones().size(), 1u);
    EXPECT_TRUE(ledger.zones().front().stale);
    // Heard again (the same value, republished): fresh from then on.
    GridIntensity again = intensity(QStringLiteral("DE"), 0, 400);
    ASSERT_EQ(ledger.gridCounters().repeats, 0u);
    again.receiptNs = at(18);
    ledger.addGridIntensity(again);
    EXPECT_EQ(ledger.gridCounters().repeats, 1u);
    EXPECT_FALSE(ledger.zones().front().stale);
    run(ledger, kHost, 21, 21, 3, 1800, QStringLiteral("DE"));
    EXPECT_DOUBLE_EQ(jobOf(ledger, kJob).footprint.staleSeconds, 13);
}

TEST(LedgerFootprint, LateValueAppliesFromWhatIsIntegratedOnCounted)
{
    ManualClock clock{at(0)};
    LedgerConfig cfg;
    Ledger ledger{cfg, clock};
    ledger.addGridIntensity(intensity(QStringLiteral("DE"), 0, 100));
    ledger.applyControl(control(JobStatus::Start, kJob, 0, kHost));
    run(ledger, kHost, 0, 10, 1, 3600, QStringLiteral("DE"));
    // Stamped at 5 s, arriving when 10 s are integrated: holds from 10 s on, never rewrites.
    ledger.addGridIntensity(intensity(QStringLiteral("DE"), 5, 700));
    EXPECT_EQ(ledger.gridCounters().late, 1u);
    run(ledger, kHost, 11, 20, 1, 3600, QStringLiteral("DE"));
    const double kwh10s = 3600.0 * 10 / kJoulesPerKwh;
    expectRelative(jobOf(ledger, kJob).co2eKg, kwh10s * 0.100 + kwh10s * 0.700);
}

TEST(LedgerFootprint, ZoneOfAHostSampleThenConfigMapThenGridZoneThenNone)
{
    ManualClock clock{at(0)};
    LedgerConfig cfg;
    cfg.footprint.gridZone = QStringLiteral("GZ");
    cfg.footprint.hostZones.insert(QStringLiteral("mapped"), QStringLiteral("MAP"));
    cfg.footprint.hostZones.insert(QStringLiteral("both"), QStringLiteral("MAP"));
    Ledger ledger{cfg, clock};
    ledger.addGridIntensity(intensity(QStringLiteral("GZ"), 0, 100));
    ledger.addGridIntensity(intensity(QStringLiteral("MAP"), 0, 200));
    ledger.addGridIntensity(intensity(QStringLiteral("SMP"), 0, 300));
    const QStringList hosts{QStringLiteral("both"), QStringLiteral("mapped"),
                            QStringLiteral("plain")};
    for (const QString &h : hosts) {
        ledger.applyControl(control(JobStatus::Start, h + QStringLiteral("-job"), 0, h));
    }
    run(ledger, QStringLiteral("both"), 0, 10, 1, 1000, QStringLiteral("SMP")); // sample wins
    run(ledger, QStringLiteral("mapped"), 0, 10, 1, 1000);                      // the map
    run(ledger, QStringLiteral("plain"), 0, 10, 1, 1000);                       // --grid-zone
    auto gPerKwh = [&](const QString &h) {
        const JobSummary j = jobOf(ledger, h + QStringLiteral("-job"));
        return j.co2eKg / j.kwh * 1000.0;
    };
    EXPECT_NEAR(gPerKwh(QStringLiteral("both")), 300, 1e-9);
    EXPECT_NEAR(gPerKwh(QStringLiteral("mapped")), 200, 1e-9);
    EXPECT_NEAR(gPerKwh(QStringLiteral("plain")), 100, 1e-9);

    cfg.footprint.gridZone.clear(); // none: the constant
    ledger.setConfig(cfg);
    ledger.applyControl(
        control(JobStatus::Start, QStringLiteral("late-job"), 11, QStringLiteral("plain")));
    run(ledger, QStringLiteral("plain"), 11, 20, 1, 1000);
    EXPECT_NEAR(gPerKwh(QStringLiteral("late")), cfg.carbonKgPerKwh * 1000, 1e-9);
}

TEST(LedgerFootprint, WaterIsItKwhTimesWueAndFacilityKwhTimesEwifPerZone)
{
    ManualClock clock{at(0)};
    LedgerConfig cfg;
    cfg.pue = 1.3;
    cfg.footprint.zoneWue.insert(QStringLiteral("DRY"), 1.8);
    cfg.footprint.zoneEwif.insert(QStringLiteral("DRY"), 4.5);
    Ledger ledger{cfg, clock};
    ledger.applyControl(control(JobStatus::Start, QStringLiteral("us"), 0, QStringLiteral("a")));
    ledger.applyControl(control(JobStatus::Start, QStringLiteral("dry"), 0, QStringLiteral("b")));
    run(ledger, QStringLiteral("a"), 0, 100, 2, 1500);
    run(ledger, QStringLiteral("b"), 0, 100, 2, 1500, QStringLiteral("DRY"));
    const JobSummary us = jobOf(ledger, QStringLiteral("us"));
    const JobSummary dry = jobOf(ledger, QStringLiteral("dry"));
    expectRelative(us.footprint.facilityKwh, us.kwh * 1.3);
    expectRelative(us.footprint.waterOnsiteL, us.kwh * FootprintConfig::kUsAverageWueLPerKwh);
    expectRelative(us.footprint.waterOffsiteL,
                   us.kwh * 1.3 * FootprintConfig::kUsAverageEwifLPerKwh);
    expectRelative(dry.footprint.waterOnsiteL, dry.kwh * 1.8);
    expectRelative(dry.footprint.waterOffsiteL, dry.kwh * 1.3 * 4.5);
    expectRelative(dry.footprint.waterL(), dry.kwh * (1.8 + 1.3 * 4.5));
    EXPECT_EQ(us.liters, 0); // the coolant circulated is another figure
}

TEST(LedgerFootprint, EmbodiedCarbonIsSharedLikeEnergyIdleGetsTheRest)
{
    ManualClock clock{at(0)};
    LedgerConfig cfg;
    cfg.footprint.hostEmbodiedKg.insert(kHost, 1000);
    cfg.footprint.hostLifetimeYears.insert(kHost, 4);
    Ledger ledger{cfg, clock};
    const double perSecond = 1000.0 / (4 * 365.25 * 24 * 3600);
    // A on [10, 60), B on [30, 80): shared half and half on [30, 60); idle before and after.
    ledger.applyControl(control(JobStatus::Start, QStringLiteral("A"), 10, kHost));
    ledger.applyControl(control(JobStatus::Start, QStringLiteral("B"), 30, kHost));
    ledger.applyControl(control(JobStatus::End, QStringLiteral("A"), 60, kHost));
    ledger.applyControl(control(JobStatus::End, QStringLiteral("B"), 80, kHost));
    run(ledger, kHost, 0, 100, 1, 500);
    const JobSummary a = jobOf(ledger, QStringLiteral("A"));
    const JobSummary b = jobOf(ledger, QStringLiteral("B"));
    const JobSummary idle = jobOf(ledger, QStringLiteral("idle"));
    expectRelative(a.footprint.embodiedKg, perSecond * (20 + 30 / 2.0));
    expectRelative(b.footprint.embodiedKg, perSecond * (30 / 2.0 + 20));
    expectRelative(idle.footprint.embodiedKg, perSecond * (10 + 20));
    expectRelative(a.footprint.embodiedKg + b.footprint.embodiedKg + idle.footprint.embodiedKg,
                   perSecond * 100);
    // Energy is shared by the same rule: the embodied shares follow the energy shares here.
    expectRelative(a.footprint.embodiedKg / (a.footprint.embodiedKg + b.footprint.embodiedKg),
                   a.kwh / (a.kwh + b.kwh));
    expectRelative(a.sciKg(), a.co2eKg + a.footprint.embodiedKg);
    // Off by default: a host without figures.
    run(ledger, QStringLiteral("other"), 0, 10, 1, 500);
    EXPECT_EQ(jobOf(ledger, QStringLiteral("idle")).footprint.embodiedKg,
              idle.footprint.embodiedKg);
}

TEST(LedgerFootprint, BoundedZonesAndValuesCountWhatIsDropped)
{
    ManualClock clock{at(0)};
    LedgerConfig cfg;
    cfg.footprint.maxGridZones = 2;
    cfg.footprint.maxValuesPerZone = 3;
    Ledger ledger{cfg, clock};
    EXPECT_EQ(ledger.addGridIntensity(intensity(QStringLiteral("A"), 0, 1)),
              Ledger::Result::Accepted);
    EXPECT_EQ(ledger.addGridIntensity(intensity(QStringLiteral("B"), 0, 1)),
              Ledger::Result::Accepted);
    EXPECT_EQ(ledger.addGridIntensity(intensity(QStringLiteral("C"), 0, 1)),
              Ledger::Result::TooManyIds);
    for (int i = 1; i <= 5; ++i) {
        ledger.addGridIntensity(intensity(QStringLiteral("A"), i, 10 * i));
    }
    EXPECT_EQ(ledger.gridCounters().zonesRefused, 1u);
    EXPECT_EQ(ledger.gridCounters().dropped, 3u);
    EXPECT_EQ(ledger.zones().front().values, 3);
    EXPECT_DOUBLE_EQ(ledger.zones().front().gCo2ePerKwh, 50);
}

TEST(LedgerFootprint, StateFileKeepsTheTimelineAndEachJobsFootprint)
{
    ManualClock clock{at(0)};
    LedgerConfig cfg;
    cfg.footprint.embodiedKg = 2000;
    Ledger ledger{cfg, clock};
    ledger.addGridIntensity(intensity(QStringLiteral("DE"), 0, 200));
    ledger.addGridIntensity(intensity(QStringLiteral("DE"), 10, 800));
    ledger.applyControl(control(JobStatus::Start, kJob, 0, kHost));
    run(ledger, kHost, 0, 5, 1, 1000, QStringLiteral("DE"));

    Ledger restored{cfg, clock};
    QString error;
    ASSERT_TRUE(restored.restore(ledger.toJson(), &error)) << error.toStdString();
    const JobSummary before = jobOf(ledger, kJob);
    const JobSummary after = jobOf(restored, kJob);
    EXPECT_DOUBLE_EQ(after.footprint.facilityKwh, before.footprint.facilityKwh);
    EXPECT_DOUBLE_EQ(after.footprint.waterOnsiteL, before.footprint.waterOnsiteL);
    EXPECT_DOUBLE_EQ(after.footprint.embodiedKg, before.footprint.embodiedKg);
    EXPECT_EQ(after.footprint.sources, before.footprint.sources);
    ASSERT_EQ(restored.zones().size(), 1u);
    EXPECT_EQ(restored.zones().front().values, 2);
    // The restored timeline still cuts: the first interval after a restore is a gap (5, 6], then
    // 4 s more at 200 and 10 s at 800.
    run(restored, kHost, 6, 20, 1, 1000, QStringLiteral("DE"));
    const double kwhPerS = 1000.0 / kJoulesPerKwh;
    expectRelative(jobOf(restored, kJob).co2eKg, kwhPerS * (9 * 0.2 + 10 * 0.8), 1e-6);
}
