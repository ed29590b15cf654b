// The footprint end to end (docs/footprint.md): a real mosquitto, the real greenpulse-processor,
// grid intensities published retained on greenpulse/grid/<zone>/carbon_intensity, a host at a
// known power in that zone and a job on it; the exit summary's carbon is the sliced sum, its water
// kWh x WUE and facility kWh x EWIF, its embodied carbon the host's by time held.
#include "MosquittoBroker.h"
#include "Samples.h"
#include "TestSupport.h"
#include "mqtt/MosquittoClient.h"
#include "protocol/Protocol.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <csignal>
#include <gtest/gtest.h>
#include <memory>

using namespace greenpulse::core;
using namespace greenpulse::test;

namespace {

constexpr double kJoulesPerKwh = 3.6e6;
constexpr double kSecondsPerYear = 365.25 * 24 * 3600;

GridIntensity gridValue(const QString &zone, TimeNs t, double g)
{
    GridIntensity v;
    v.zone = zone;
    v.gCo2ePerKwh = g;
    v.timestampNs = t;
    v.source = QStringLiteral("schedule");
    return v;
}

} // namespace

TEST(FootprintEndToEnd, IntensityChangingMidJobWaterAndEmbodiedInTheExitSummary)
{
    MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    MqttOptions o;
    o.brokerUrl = broker.url();
    o.clientId = QStringLiteral("footprint-e2e-publisher");
    MosquittoClient publisher(o);
    publisher.connectToBroker();
    ASSERT_TRUE(waitUntil([&] { return publisher.state() == ConnectionState::Connected; }, 10000));

    const QString zone = QStringLiteral("DE");
    const QString host = QStringLiteral("gpu-e2e");
    const QString job = QStringLiteral("footprint-job");
    const TimeNs base = (nowNs() / kSecond - 100) * kSecond; // inside the clock bounds
    // Retained before the processor runs: it gets it on subscribing.
    publisher.publish(topics::gridCarbonIntensity(zone), encode(gridValue(zone, base, 200)), 1,
                      true);

    QTemporaryDir dir;
    const QString conf = dir.filePath(QStringLiteral("footprint.conf"));
    {
        QFile f(conf);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("pue=1.5\nwue=0.5\newif=2\n[host-embodied-kg]\ngpu-e2e=1000\n"
                "[host-lifetime-years]\ngpu-e2e=4\n");
    }
    Child processor;
    ASSERT_TRUE(processor.start(
        binary(QStringLiteral("greenpulse-processor")),
        {QStringLiteral("--broker"), broker.url(), QStringLiteral("--state-file"),
         dir.filePath(QStringLiteral("l.json")), QStringLiteral("--client-id"),
         QStringLiteral("footprint-e2e-processor"), QStringLiteral("--config"), conf}));
    ASSERT_TRUE(waitUntil([&] { return processor.readStderr().contains("MQTT connected"); }, 15000))
        << processor.readStderr().toStdString();
    spin(500);

    publisher.publish(QByteArray(topics::kControl),
                      encode(controlAt(JobStatus::Start, job, host, base)), 1, false);
    publisher.publish(QByteArray(topics::kControl),
                      encode(controlAt(JobStatus::End, job, host, base + 20 * kSecond)), 1, false);
    for (int s = 0; s <= 24; ++s) {
        if (s == 11) { // 800 g from 10 s on, retained too (it replaces the first)
            publisher.publish(topics::gridCarbonIntensity(zone),
                              encode(gridValue(zone, base + 10 * kSecond, 800)), 1, true);
        }
        PowerSample p = powerAt(host, 1000, base + s * kSecond);
        p.zone = zone;
        publisher.publish(QByteArray(topics::kPower), encode(p), 1, false);
    }
    // Every sample taken (the counters it prints on SIGHUP), then the exit summary.
    EXPECT_TRUE(waitUntil(
        [&] {
            ::kill(static_cast<pid_t>(processor.pid()), SIGHUP);
            spin(200);
            return processor.readStderr().contains("\"power_samples\": 25");
        },
        20000));
    ASSERT_TRUE(processor.terminate(20000));
    const QJsonObject out = QJsonDocument::fromJson(processor.readStdout()).object();
    const QJsonObject j = jobIn(out, job);
    ASSERT_FALSE(j.isEmpty()) << QJsonDocument(out).toJson().toStdString();

    const double kwh = 1000.0 * 20 / kJoulesPerKwh;
    EXPECT_NEAR(j[QLatin1String("kwh")].toDouble(), kwh, kwh * 1e-9);
    const double sliced = kwh / 2 * 1.5 * 0.200 + kwh / 2 * 1.5 * 0.800;
    EXPECT_NEAR(j[QLatin1String("co2e_kg")].toDouble(), sliced, sliced * 1e-6);
    EXPECT_NEAR(j[QLatin1String("facility_kwh")].toDouble(), kwh * 1.5, kwh * 1e-9);
    EXPECT_NEAR(j[QLatin1String("water_onsite_l")].toDouble(), kwh * 0.5, kwh * 1e-9);
    EXPECT_NEAR(j[QLatin1String("water_offsite_l")].toDouble(), kwh * 1.5 * 2, kwh * 1e-9);
    const double embodied = 1000.0 / (4 * kSecondsPerYear) * 20;
    EXPECT_NEAR(j[QLatin1String("embodied_co2e_kg")].toDouble(), embodied, embodied * 1e-9);
    EXPECT_NEAR(j[QLatin1String("sci_co2e_kg")].toDouble(), sliced + embodied, sliced * 1e-6);
    EXPECT_DOUBLE_EQ(j[QLatin1String("intensity_min_g")].toDouble(), 200);
    EXPECT_DOUBLE_EQ(j[QLatin1String("intensity_max_g")].toDouble(), 800);
    EXPECT_EQ(j[QLatin1String("carbon_sources")].toArray(),
              QJsonArray{QStringLiteral("schedule@DE")});
    EXPECT_EQ(j[QLatin1String("carbon_stale_s")].toDouble(), 0);
    EXPECT_DOUBLE_EQ(j[QLatin1String("liters")].toDouble(), 0); // no coolant loop here

    const QJsonObject grid = out[QLatin1String("counters")][QLatin1String("grid")].toObject();
    EXPECT_EQ(grid[QLatin1String("values")].toInt(), 2);
    EXPECT_EQ(grid[QLatin1String("late")].toInt(), 0);
    const QJsonObject de = grid[QLatin1String("zones")][zone].toObject();
    EXPECT_DOUBLE_EQ(de[QLatin1String("g_co2e_per_kwh")].toDouble(), 800);
    EXPECT_FALSE(de[QLatin1String("stale")].toBool());
}
