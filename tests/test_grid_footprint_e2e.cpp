// greenpulse-grid feeding the processor end to end (issue 15): a real mosquitto, the real
// greenpulse-grid --provider file with a schedule whose intensity changes from 200 g to 800 g a few
// seconds from now, the real greenpulse-processor with --grid-zone DE, a host at a known constant
// power (samples stamped by the test, without a zone) and a job spanning the change. The exit
// summary's carbon is the sliced sum: facility kWh of each piece x the intensity in force.
#include "MosquittoBroker.h"
#include "Samples.h"
#include "TestSupport.h"
#include "mqtt/MosquittoClient.h"
#include "protocol/Protocol.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <csignal>
#include <gtest/gtest.h>

using namespace greenpulse::core;
using namespace greenpulse::test;

namespace {

constexpr double kJoulesPerKwh = 3.6e6;

QString epochMs(TimeNs ns)
{
    return QString::number(ns / 1'000'000);
}

// Sends SIGHUP until the counters it prints on stderr match `pattern`.
bool countersShow(Child &processor, const QString &pattern, int timeoutMs)
{
    const QRegularExpression re(pattern);
    return waitUntil(
        [&] {
            ::kill(static_cast<pid_t>(processor.pid()), SIGHUP);
            spin(200);
            return re.match(QString::fromUtf8(processor.readStderr())).hasMatch();
        },
        timeoutMs);
}

} // namespace

TEST(GridFootprintEndToEnd, FileScheduleChangingMidJobIsChargedPieceByPiece)
{
    MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();

    const QString zone = QStringLiteral("DE");
    const QString host = QStringLiteral("gpu-grid-e2e");
    const QString job = QStringLiteral("grid-e2e-job");
    // The change, whole seconds a few seconds ahead: 200 g in force now, 800 g from `change` on.
    const TimeNs change = (nowNs() / kSecond + 4) * kSecond;
    QTemporaryDir dir;
    const QString schedule = dir.filePath(QStringLiteral("schedule.csv"));
    {
        QFile f(schedule);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(QStringLiteral("zone,from,to,g_co2e_per_kwh\n"
                               "%1,%2,%3,200\n"
                               "%1,%3,,800\n")
                    .arg(zone, epochMs(change - 60 * kSecond), epochMs(change))
                    .toUtf8());
    }
    const QString conf = dir.filePath(QStringLiteral("footprint.conf"));
    {
        QFile f(conf);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("pue=1.5\n");
    }

    Child processor;
    ASSERT_TRUE(
        processor.start(binary(QStringLiteral("greenpulse-processor")),
                        {QStringLiteral("--broker"), broker.url(), QStringLiteral("--state-file"),
                         dir.filePath(QStringLiteral("l.json")), QStringLiteral("--client-id"),
                         QStringLiteral("grid-e2e-processor"), QStringLiteral("--config"), conf,
                         QStringLiteral("--grid-zone"), zone}));
    ASSERT_TRUE(waitUntil([&] { return processor.readStderr().contains("MQTT connected"); }, 15000))
        << processor.readStderr().toStdString();

    Child grid;
    ASSERT_TRUE(grid.start(binary(QStringLiteral("greenpulse-grid")),
                           {QStringLiteral("--broker"), broker.url(), QStringLiteral("--provider"),
                            QStringLiteral("file"), QStringLiteral("--schedule"), schedule}));
    // Both values taken by the processor (200 at once, 800 when its row takes over) before any
    // sample: the timeline is then complete whatever the load, and the samples may be stamped
    // on both sides of the change.
    ASSERT_TRUE(countersShow(processor, QStringLiteral("\"values\": 2\\b"), 30000))
        << processor.readStderr().toStdString() << grid.readStderr().toStdString();

    MqttOptions o;
    o.brokerUrl = broker.url();
    o.clientId = QStringLiteral("grid-e2e-host");
    MosquittoClient publisher(o);
    publisher.connectToBroker();
    ASSERT_TRUE(waitUntil([&] { return publisher.state() == ConnectionState::Connected; }, 10000));

    // The job holds the host 10 s at 200 g and 3 s at 800 g; samples every second from 2 s before
    // to 1 s after it, all in the past when sent (no clock re-stamping).
    const TimeNs start = change - 10 * kSecond;
    const TimeNs end = change + 3 * kSecond;
    ASSERT_TRUE(waitUntil([&] { return nowNs() > end + 2 * kSecond; }, 20000));
    publisher.publish(QByteArray(topics::kControl),
                      encode(controlAt(JobStatus::Start, job, host, start)), 1, false);
    publisher.publish(QByteArray(topics::kControl),
                      encode(controlAt(JobStatus::End, job, host, end)), 1, false);
    int samples = 0;
    for (TimeNs t = start - 2 * kSecond; t <= end + kSecond; t += kSecond, ++samples) {
        publisher.publish(QByteArray(topics::kPower), encode(powerAt(host, 1000, t)), 1, false);
    }
    EXPECT_TRUE(
        countersShow(processor, QStringLiteral("\"power_samples\": %1\\b").arg(samples), 20000))
        << processor.readStderr().toStdString();

    ASSERT_TRUE(grid.terminate(20000));
    EXPECT_EQ(grid.exitCode(), 0) << grid.readStderr().toStdString();
    ASSERT_TRUE(processor.terminate(20000));
    const QJsonObject out = QJsonDocument::fromJson(processor.readStdout()).object();
    const QJsonObject j = jobIn(out, job);
    ASSERT_FALSE(j.isEmpty()) << QJsonDocument(out).toJson().toStdString();

    const double kwh200 = 1000.0 * 10 / kJoulesPerKwh;
    const double kwh800 = 1000.0 * 3 / kJoulesPerKwh;
    const double kwh = kwh200 + kwh800;
    EXPECT_NEAR(j[QLatin1String("kwh")].toDouble(), kwh, kwh * 1e-9);
    EXPECT_NEAR(j[QLatin1String("facility_kwh")].toDouble(), kwh * 1.5, kwh * 1e-9);
    const double sliced = kwh200 * 1.5 * 0.200 + kwh800 * 1.5 * 0.800;
    EXPECT_NEAR(j[QLatin1String("co2e_kg")].toDouble(), sliced, sliced * 1e-6)
        << QJsonDocument(j).toJson().toStdString();
    EXPECT_DOUBLE_EQ(j[QLatin1String("intensity_min_g")].toDouble(), 200);
    EXPECT_DOUBLE_EQ(j[QLatin1String("intensity_max_g")].toDouble(), 800);
    EXPECT_EQ(j[QLatin1String("carbon_sources")].toArray(), QJsonArray{QStringLiteral("file@DE")});
    EXPECT_EQ(j[QLatin1String("carbon_stale_s")].toDouble(), 0);

    const QJsonObject gridCounters =
        out[QLatin1String("counters")][QLatin1String("grid")].toObject();
    EXPECT_EQ(gridCounters[QLatin1String("values")].toInt(), 2);
    EXPECT_EQ(gridCounters[QLatin1String("late")].toInt(), 0);
    EXPECT_DOUBLE_EQ(
        gridCounters[QLatin1String("zones")][zone][QLatin1String("g_co2e_per_kwh")].toDouble(),
        800);
}
