// The whole pipeline against real servers: simulators + `greenpulse-job demo` +
// `greenpulse-processor` on a real mosquitto, writing to a real influxd 1.6. An influxd outage in
// the middle of the jobs leaves no hole in their one-second points, and a processor killed with -9
// while the database is down replays its spool after a restart.
#include "PipelineStack.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <gtest/gtest.h>

using namespace greenpulse::test;

namespace {

// Seconds (epoch) of every footprint point of a job.
QList<qint64> pointSeconds(InfluxServer &influx, const QString &jobId)
{
    QList<qint64> out;
    const QList<QJsonObject> rows = influx.rows(
        QStringLiteral("SELECT cumulative_kwh FROM environmental_footprint WHERE job_id = '%1'")
            .arg(jobId),
        QStringLiteral("greenpulse"), QStringLiteral("s"));
    for (const QJsonObject &row : rows) {
        out << static_cast<qint64>(row.value(QLatin1String("time")).toDouble());
    }
    return out;
}

} // namespace

TEST(InfluxPipeline, DemoJobsReachInfluxWithoutAHoleAcrossAnOutage)
{
    PipelineStack s;
    ASSERT_TRUE(s.broker.start()) << s.broker.lastError().toStdString();
    ASSERT_TRUE(s.influx.start()) << s.influx.lastError().toStdString();
    Child processor;
    ASSERT_TRUE(startProcessor(processor, s.processorArgs()))
        << processor.readStderr().toStdString();
    ASSERT_TRUE(s.startSimulators());
    spin(1500);

    Child demo;
    ASSERT_TRUE(demo.start(binary(QStringLiteral("greenpulse-job")),
                           {QStringLiteral("demo"), QStringLiteral("--broker"), s.broker.url(),
                            QStringLiteral("--host"), s.host}));
    spin(4000);
    s.influx.stop(); // 20 s outage, through the middle of both demo jobs
    spin(20000);
    ASSERT_TRUE(s.influx.start()) << s.influx.lastError().toStdString();
    ASSERT_TRUE(demo.waitForExit(60000));
    EXPECT_EQ(demo.exitCode(), 0) << demo.readStderr().toStdString();
    spin(5000); // the final points
    ASSERT_TRUE(processor.terminate(20000));
    const QJsonObject out = QJsonDocument::fromJson(processor.readStdout()).object();

    int jobs = 0;
    for (const QJsonValue &v : out.value(QLatin1String("jobs")).toArray()) {
        const QJsonObject job = v.toObject();
        const QString id = job.value(QLatin1String("job_id")).toString();
        if (id == QLatin1String("idle")) {
            continue;
        }
        ++jobs;
        const QList<qint64> seconds = pointSeconds(s.influx, id);
        ASSERT_FALSE(seconds.isEmpty()) << id.toStdString();
        // One point a second from its start until its final point: no hole.
        for (int i = 1; i < seconds.size(); ++i) {
            EXPECT_EQ(seconds[i] - seconds[i - 1], 1) << id.toStdString() << " at " << seconds[i];
        }
        const double duration = job.value(QLatin1String("duration_s")).toDouble();
        EXPECT_GE(seconds.size(), static_cast<int>(duration)) << id.toStdString();
        // The last point carries the final totals the processor printed.
        const QList<QJsonObject> last = s.influx.rows(
            QStringLiteral("SELECT last(cumulative_kwh) FROM environmental_footprint WHERE "
                           "job_id = '%1'")
                .arg(id),
            QStringLiteral("greenpulse"));
        ASSERT_EQ(last.size(), 1);
        const double kwh = job.value(QLatin1String("kwh")).toDouble();
        EXPECT_NEAR(last.first().value(QLatin1String("last")).toDouble(), kwh, kwh * 1e-12);
    }
    EXPECT_EQ(jobs, 2);
    // Both job events of both jobs are there too.
    const QList<QJsonObject> events = s.influx.rows(
        QStringLiteral("SELECT count(running) FROM job_events"), QStringLiteral("greenpulse"));
    ASSERT_EQ(events.size(), 1);
    EXPECT_EQ(events.first().value(QLatin1String("count")).toInt(), 4);
}

TEST(InfluxPipeline, SpoolSurvivesKillNineAndIsReplayedOnce)
{
    PipelineStack s;
    ASSERT_TRUE(s.broker.start()) << s.broker.lastError().toStdString();
    ASSERT_TRUE(s.influx.start());
    s.influx.stop(); // the database is down from the start: everything goes to the spool
    ASSERT_TRUE(s.startSimulators());
    Child processor;
    ASSERT_TRUE(startProcessor(processor, s.processorArgs()))
        << processor.readStderr().toStdString();
    spin(6000);

    // What the spool holds right now: idle's footprint points, by timestamp.
    const QDir spool(s.dir.filePath(QStringLiteral("spool")));
    const QRegularExpression idleLine(
        QStringLiteral("^environmental_footprint,job_id=idle .* (\\d+)$"),
        QRegularExpression::MultilineOption);
    QSet<qint64> spooled;
    for (const QString &name : spool.entryList({QStringLiteral("*.lp")}, QDir::Files)) {
        QFile f(spool.filePath(name));
        ASSERT_TRUE(f.open(QIODevice::ReadOnly));
        auto it = idleLine.globalMatch(QString::fromUtf8(f.readAll()));
        while (it.hasNext()) {
            spooled.insert(it.next().captured(1).toLongLong() / 1'000'000'000LL);
        }
    }
    ASSERT_GE(spooled.size(), 3) << "spool: "
                                 << spool.entryList().join(QLatin1Char(' ')).toStdString();
    processor.kill(); // SIGKILL: no flush, no goodbye

    ASSERT_TRUE(s.influx.start());
    Child again;
    ASSERT_TRUE(startProcessor(again, s.processorArgs())) << again.readStderr().toStdString();
    ASSERT_TRUE(waitUntil(
        [&] {
            const QList<qint64> seconds = pointSeconds(s.influx, QStringLiteral("idle"));
            const QSet<qint64> have(seconds.cbegin(), seconds.cend());
            return have.contains(spooled);
        },
        30000));
    const QList<qint64> seconds = pointSeconds(s.influx, QStringLiteral("idle"));
    EXPECT_EQ(QSet<qint64>(seconds.cbegin(), seconds.cend()).size(), seconds.size()); // once each
    ASSERT_TRUE(again.terminate(20000));
}
