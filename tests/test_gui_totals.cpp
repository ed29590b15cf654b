// The dashboard and greenpulse-processor fed the same stream from a real mosquitto: the jobs
// table holds exactly the totals the headless processor prints, and the writer embedded in the
// dashboard fills a real influxd with them.
#include "DashboardHarness.h"
#include "InfluxServer.h"
#include "MosquittoBroker.h"
#include "TestSupport.h"
#include "protocol/Protocol.h"
#include "runtime/Backend.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <cmath>
#include <gtest/gtest.h>

using namespace greenpulse;
using test::waitUntil;

namespace {

constexpr qint64 kSecondNs = 1'000'000'000;

QJsonObject jobById(const QJsonArray &jobs, const QString &id)
{
    for (const QJsonValue &value : jobs) {
        if (value.toObject().value(QStringLiteral("job_id")).toString() == id) {
            return value.toObject();
        }
    }
    return {};
}

} // namespace

TEST(GuiTotals, TableEqualsTheHeadlessProcessorAndTheEmbeddedWriterFillsInflux)
{
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
    test::InfluxServer influx;
    ASSERT_TRUE(influx.start()) << qPrintable(influx.lastError());
    QTemporaryDir dir;
    const QString db = QStringLiteral("gui_totals");
    test::Dashboard dashboard(broker.url(), dir.path(),
                              {QStringLiteral("--influx-url"), influx.url(),
                               QStringLiteral("--influx-db"), db, QStringLiteral("--spool-dir"),
                               dir.filePath(QStringLiteral("spool"))});
    ASSERT_TRUE(dashboard.parsed);
    ASSERT_TRUE(dashboard.waitConnected()) << "dashboard did not connect to the broker";

    test::Child processor;
    ASSERT_TRUE(processor.start(test::binary(QStringLiteral("greenpulse-processor")),
                                {QStringLiteral("--broker"), broker.url(),
                                 QStringLiteral("--client-id"), QStringLiteral("gui-totals-proc"),
                                 QStringLiteral("--config"), dashboard.configPath,
                                 QStringLiteral("--state-file"), QStringLiteral("none")}));
    ASSERT_TRUE(waitUntil([&] { return processor.readStderr().contains("-> connected"); }, 10000))
        << processor.readStderr().constData();
    test::spin(300); // its subscription reaches the broker

    // 40 s of history, backdated: two hosts at 2 Hz with uneven power, coolant at 1 Hz, and a job
    // on gpu-a whose start and end fall inside sampling intervals.
    test::SamplePublisher publisher(broker.url());
    ASSERT_TRUE(publisher.waitConnected());
    const qint64 base = (test::nowNs() / kSecondNs - 60) * kSecondNs;
    const QString hostA = QStringLiteral("gpu-a");
    const QString hostB = QStringLiteral("gpu-b");
    const QString jobId = QStringLiteral("Gui_Totals_%1_0a1b2c").arg(base / kSecondNs);
    auto control = [&](core::JobStatus status, qint64 atNs) {
        core::ControlMessage message;
        message.status = status;
        message.jobId = jobId;
        message.host = hostA;
        message.timestampNs = atNs;
        publisher.client->publish(core::topics::kControl, core::encode(message), 1);
    };
    int published = 0;
    for (int i = 0; i <= 80; ++i) {
        const qint64 t = base + i * kSecondNs / 2;
        if (i == 11) {
            control(core::JobStatus::Start, base + 5'250'000'000);
            ++published;
        }
        if (i == 62) {
            control(core::JobStatus::End, base + 30'600'000'000);
            ++published;
        }
        const bool busy = i > 10 && i <= 61;
        publisher.power(hostA, (busy ? 420.0 : 101.0) + 7.5 * std::sin(i * 0.7), t);
        publisher.power(hostB, 98.0 + 3.25 * std::cos(i * 0.3), t);
        published += 2;
        if (i % 2 == 0) {
            publisher.flow(hostA, 1.3 + std::sin(i * 0.2), 27.0 + i * 0.05, t);
            ++published;
        }
        if (i % 20 == 0) {
            test::spin(10);
        }
    }

    // Everything reached the dashboard's processor...
    ASSERT_TRUE(waitUntil(
        [&] {
            auto s = dashboard.components->backend->snapshot();
            return s && s->accepted == static_cast<quint64>(published);
        },
        15000))
        << "accepted " << dashboard.components->backend->snapshot()->accepted << " of "
        << published;
    ASSERT_TRUE(
        waitUntil([&] { return dashboard.job(jobId) && !dashboard.job(jobId)->running; }, 5000));
    test::spin(500); // the table refreshes from the latest snapshot
    // ...and to the headless one, which prints its totals when it is told to stop.
    ASSERT_TRUE(processor.terminate(15000));
    const QJsonObject printed = QJsonDocument::fromJson(processor.readStdout()).object();
    const QJsonArray jobs = printed.value(QStringLiteral("jobs")).toArray();
    ASSERT_EQ(jobs.size(), 2) << processor.readStdout().constData();

    for (const QString &id : {jobId, QStringLiteral("idle")}) {
        SCOPED_TRACE(qPrintable(id));
        const QJsonObject expected = jobById(jobs, id);
        ASSERT_FALSE(expected.isEmpty());
        const core::JobSummary *shown = dashboard.job(id);
        ASSERT_NE(shown, nullptr);
        auto value = [&](const char *key) { return expected.value(QLatin1String(key)).toDouble(); };
        EXPECT_GT(shown->kwh, 0.0);
        EXPECT_DOUBLE_EQ(shown->kwh, value("kwh"));
        EXPECT_DOUBLE_EQ(shown->co2eKg, value("co2e_kg"));
        EXPECT_DOUBLE_EQ(shown->liters, value("liters"));
        EXPECT_DOUBLE_EQ(shown->peakWatts, value("peak_watts"));
        EXPECT_DOUBLE_EQ(shown->coverage, value("coverage"));
        EXPECT_EQ(static_cast<double>(shown->samples), value("samples"));
        EXPECT_EQ(shown->hosts.join(QLatin1Char(',')), expected.value(QStringLiteral("hosts"))
                                                           .toVariant()
                                                           .toStringList()
                                                           .join(QLatin1Char(',')));
    }
    const QJsonObject job = jobById(jobs, jobId);
    EXPECT_DOUBLE_EQ(dashboard.job(jobId)->durationSeconds,
                     job.value(QStringLiteral("duration_s")).toDouble());
    EXPECT_DOUBLE_EQ(dashboard.job(jobId)->durationSeconds, 25.35);

    // The dashboard's own writer put the job's final totals into influxd.
    const QString query =
        QStringLiteral("SELECT last(cumulative_kwh) AS kwh, last(cumulative_co2e_kg) AS co2e, "
                       "last(cumulative_liters) AS liters FROM environmental_footprint "
                       "WHERE job_id = '%1'")
            .arg(jobId);
    QList<QJsonObject> rows;
    const bool written = waitUntil(
        [&] {
            rows = influx.rows(query, db);
            return !rows.isEmpty() &&
                   rows[0].value(QStringLiteral("kwh")).toDouble() == dashboard.job(jobId)->kwh;
        },
        15000);
    ASSERT_TRUE(written) << (rows.isEmpty() ? std::string("no rows")
                                            : QJsonDocument(rows[0]).toJson().toStdString());
    EXPECT_DOUBLE_EQ(rows[0].value(QStringLiteral("co2e")).toDouble(),
                     job[QStringLiteral("co2e_kg")].toDouble());
    EXPECT_DOUBLE_EQ(rows[0].value(QStringLiteral("liters")).toDouble(),
                     job[QStringLiteral("liters")].toDouble());
}
