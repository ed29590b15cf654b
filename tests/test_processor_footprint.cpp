// The processor's side of the footprint (docs/footprint.md): grid intensities from
// greenpulse/grid/<zone>/carbon_intensity reach the ledger, bad ones and zones beyond the bound
// are counted, and a job's facility energy, water and embodied carbon appear in the jobs JSON,
// the environmental_footprint points, the counters JSON ("grid") and the dashboard's snapshot.
#include "Samples.h"
#include "TestSupport.h"
#include "influx/LineSink.h"
#include "mqtt/MosquittoClient.h"
#include "pipeline/Processor.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <gtest/gtest.h>

using namespace greenpulse::core;
using namespace greenpulse::test;

namespace {

class Lines : public LineSink
{
public:
    void writeLines(const QList<QByteArray> &lines) override { all += lines; }
    QList<QByteArray> all;
};

QByteArray gridJson(double seconds, double g)
{
    GridIntensity v;
    v.zone = QStringLiteral("DE");
    v.gCo2ePerKwh = g;
    v.timestampNs = at(seconds);
    v.source = QStringLiteral("electricitymaps");
    return encode(v);
}

QByteArray zonedPowerJson(double seconds, double watts)
{
    PowerSample p = power(QStringLiteral("h"), seconds, watts);
    p.zone = QStringLiteral("DE");
    return encode(p);
}

} // namespace

TEST(ProcessorFootprint, GridValuesReachTheLedgerAndEveryOutputAgrees)
{
    ManualClock clock{at(100)};
    LedgerConfig cfg;
    cfg.pue = 1.25;
    cfg.footprint.embodiedKg = 800;
    cfg.footprint.maxGridZones = 1;
    Ledger ledger{cfg, clock};
    MosquittoClient mqtt{MqttOptions{}}; // never connected: messages are fed directly
    Lines sink;
    ProcessorOptions options;
    options.tickIntervalMs = 20;
    options.snapshotIntervalMs = 20;
    Processor processor(ledger, mqtt, clock, options);
    processor.setLineSink(&sink);
    ASSERT_TRUE(processor.start());

    const QByteArray de = topics::gridCarbonIntensity(QStringLiteral("DE"));
    processor.handleMessage(de, gridJson(0, 300));
    processor.handleMessage(de, gridJson(50, 500));
    processor.handleMessage(de, R"({"g_co2e_per_kwh": -4})"); // rejected
    processor.handleMessage(topics::gridCarbonIntensity(QStringLiteral("FR")),
                            gridJson(0, 60)); // bound
    processor.handleMessage(QByteArray(topics::kControl), controlJson(JobStatus::Start, "J", 40));
    for (int s = 40; s <= 60; ++s) {
        processor.handleMessage(QByteArray(topics::kPower), zonedPowerJson(s, 3600));
    }
    spin(200);

    const QJsonObject counters = processor.countersJson();
    const QJsonObject grid = counters[QLatin1String("grid")].toObject();
    EXPECT_EQ(grid[QLatin1String("values")].toInt(), 2);
    EXPECT_EQ(grid[QLatin1String("zones_refused")].toInt(), 1);
    const QJsonObject byReason = counters[QLatin1String("by_reason")].toObject();
    EXPECT_EQ(byReason[QLatin1String("too_many_ids")].toInt(), 1);
    EXPECT_EQ(processor.rejections().totalRejected(), 2u);

    const double kwh = 3600.0 * 20 / 3.6e6;
    const double co2e = kwh / 2 * 1.25 * 0.3 + kwh / 2 * 1.25 * 0.5;
    const double embodied = 800.0 / (4 * 365.25 * 24 * 3600) * 20;
    QJsonObject job;
    for (const QJsonValue &v : processor.jobsJson()[QLatin1String("jobs")].toArray()) {
        if (v[QLatin1String("job_id")] == QLatin1String("J")) {
            job = v.toObject();
        }
    }
    EXPECT_NEAR(job[QLatin1String("co2e_kg")].toDouble(), co2e, co2e * 1e-9);
    EXPECT_NEAR(job[QLatin1String("facility_kwh")].toDouble(), kwh * 1.25, 1e-12);
    EXPECT_NEAR(job[QLatin1String("embodied_co2e_kg")].toDouble(), embodied, embodied * 1e-9);
    EXPECT_NEAR(job[QLatin1String("sci_co2e_kg")].toDouble(), co2e + embodied, co2e * 1e-9);
    EXPECT_EQ(job[QLatin1String("carbon_sources")].toArray(),
              QJsonArray{QStringLiteral("electricitymaps@DE")});

    const auto point = std::find_if(sink.all.rbegin(), sink.all.rend(), [](const QByteArray &l) {
        return l.startsWith("environmental_footprint,job_id=J ");
    });
    ASSERT_NE(point, sink.all.rend());
    for (const char *field : {"facility_kwh=", "water_onsite_l=", "water_offsite_l=",
                              "embodied_co2e_kg=", "sci_co2e_kg="}) {
        EXPECT_TRUE(point->contains(field)) << field << " in " << point->toStdString();
    }
    EXPECT_TRUE(point->contains("water_onsite_l=" + QByteArray::number(kwh * 0.55, 'g', 17)))
        << point->toStdString();

    EXPECT_EQ(counters[QLatin1String("hosts")][QLatin1String("h")][QLatin1String("zone")],
              QLatin1String("DE"));
    const auto snap = processor.snapshot();
    ASSERT_TRUE(snap);
    ASSERT_EQ(snap->zones.size(), 1u);
    EXPECT_EQ(snap->zones.front().zone, QStringLiteral("DE"));
    EXPECT_DOUBLE_EQ(snap->zones.front().gCo2ePerKwh, 500);
    EXPECT_EQ(snap->grid.zonesRefused, 1u);
    const auto snapJob =
        std::find_if(snap->jobs.begin(), snap->jobs.end(),
                     [](const JobSummary &j) { return j.jobId == QLatin1String("J"); });
    ASSERT_NE(snapJob, snap->jobs.end());
    EXPECT_NEAR(snapJob->footprint.waterOffsiteL, kwh * 1.25 * 3.14, 1e-12);
    processor.stop();
}
