// What survives a crash or a full disk, against the real servers: a full spool disk with influxd
// stopped is said once and every lost point is counted; a job's end acknowledged just before a
// kill -9 survives the restart (control journal); a job whose end was lost while the processor was
// away is ended from the retained job state; samples lost in a kill -9 show as uncovered time.
#include "InfluxServer.h"
#include "LogCapture.h"
#include "MosquittoBroker.h"
#include "PipelineStack.h"
#include "Samples.h"
#include "TestSupport.h"
#include "TmpfsMount.h"
#include "control/JobPublisher.h"
#include "influx/InfluxWriter.h"
#include "mqtt/MosquittoClient.h"
#include "pipeline/Processor.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace greenpulse::core;
using namespace greenpulse::test;

namespace {

QStringList processorArgs(const MosquittoBroker &broker, const QString &state,
                          const QString &clientId)
{
    return {QStringLiteral("--broker"),     broker.url(),
            QStringLiteral("--client-id"),  clientId,
            QStringLiteral("--state-file"), state,
            QStringLiteral("--config"),     QStringLiteral("/dev/null")};
}

// SIGTERM, and the job of that id in the exit summary.
QJsonObject stopAndFindJob(Child &processor, const QString &jobId, QJsonObject *counters = nullptr)
{
    EXPECT_TRUE(processor.terminate(20000));
    const QJsonObject out = QJsonDocument::fromJson(processor.readStdout()).object();
    if (counters) {
        *counters = out.value(QLatin1String("counters")).toObject();
    }
    for (const QJsonValue &v : out.value(QLatin1String("jobs")).toArray()) {
        if (v.toObject().value(QLatin1String("job_id")).toString() == jobId) {
            return v.toObject();
        }
    }
    ADD_FAILURE() << "no job " << jobId.toStdString() << " in "
                  << processor.readStdout().toStdString();
    return {};
}

struct Publisher
{
    explicit Publisher(const MosquittoBroker &broker, const QString &id)
    {
        MqttOptions o;
        o.brokerUrl = broker.url();
        o.clientId = id;
        mqtt = std::make_unique<MosquittoClient>(o);
        mqtt->connectToBroker();
        jobs = std::make_unique<JobPublisher>(*mqtt);
    }
    bool connected()
    {
        return waitUntil([&] { return mqtt->state() == ConnectionState::Connected; }, 10000);
    }
    void power(const QString &host, TimeNs t, double watts)
    {
        PowerSample s;
        s.host = host;
        s.watts = watts;
        s.timestampNs = t;
        mqtt->publish(QByteArray(topics::kPower), encode(s), 1);
    }
    bool idle()
    {
        return waitUntil([&] { return mqtt->isIdle(); }, 10000);
    }
    std::unique_ptr<MosquittoClient> mqtt;
    std::unique_ptr<JobPublisher> jobs;
};

} // namespace

TEST(Durability, AFullSpoolDiskIsSaidOnceAndEveryLostPointIsCounted)
{
    TmpfsMount disk(64 * 1024);
    if (!disk.isMounted()) {
        GTEST_SKIP() << disk.error().toStdString();
    }
    InfluxServer influx;
    ASSERT_TRUE(influx.start());
    influx.stop(); // influxd stopped: everything goes to the spool

    InfluxOptions o;
    o.url = influx.url();
    o.spoolDir = disk.path();
    o.spoolMaxBytes = 256 * 1024;
    o.flushIntervalMs = 20;
    o.maxBatchLines = 200;
    InfluxWriter writer(o);
    writer.setRetryBackoff(60000, 60000);
    ManualClock clock(nowNs());
    Ledger ledger(LedgerConfig{}, clock);
    MosquittoClient mqtt{MqttOptions{}};
    Processor processor(ledger, mqtt, clock, ProcessorOptions{});
    processor.setInfluxWriter(&writer);
    writer.start();

    LogCapture log;
    quint64 written = 0;
    for (int batch = 0; batch < 240; ++batch) { // 24,000 lines, as in the report
        QList<QByteArray> lines;
        for (int i = 0; i < 100; ++i, ++written) {
            lines.append(QByteArray("greenpulse_test,host=h value=") + QByteArray::number(written) +
                         ' ' + QByteArray::number(1'764'049'200'000'000'000LL + qint64(written)));
        }
        writer.writeLines(lines);
        spin(2);
    }
    writer.flush();
    const InfluxStatus full = writer.status();
    EXPECT_GT(full.pointsDropped, 0u);
    EXPECT_EQ(full.pointsQueued + full.pointsDropped, written) << "points lost without a count";
    // Said once per change of state, never per attempt (24,000 lines in the report). On a disk
    // this full a small batch sometimes fits again in the room a deleted temporary file left:
    // then it truly was writable, says so, and says the next failure. Such flaps are few and
    // always paired.
    const int failing = LogCapture::count(QStringLiteral("cannot write to the spool"));
    EXPECT_GE(failing, 1);
    EXPECT_LE(failing, 3);
    EXPECT_EQ(LogCapture::count(QStringLiteral("writable again")), failing - 1);
    EXPECT_GE(LogCapture::count(QStringLiteral("Dropping")), 1);
    EXPECT_LE(LogCapture::count(QStringLiteral("Dropping")), failing);
    EXPECT_GE(LogCapture::count(QStringLiteral("No space left")), 1);
    EXPECT_LE(LogCapture::count(QStringLiteral("No space left")), failing);
    const QJsonObject counters = processor.countersJson().value(QLatin1String("influx")).toObject();
    EXPECT_EQ(counters.value(QLatin1String("points_dropped")).toInteger(),
              static_cast<qint64>(full.pointsDropped));
    EXPECT_TRUE(counters.contains(QLatin1String("points_rejected")));

    // Room again: the next flush spools what waits in memory, and says so once.
    ASSERT_TRUE(disk.resize(16 * 1024 * 1024));
    writer.writeLines({QByteArray("greenpulse_test,host=h value=1 1764049300000000000")});
    ++written;
    ASSERT_TRUE(waitUntil(
        [&] { return LogCapture::count(QStringLiteral("writable again")) == failing; }, 5000));
    const InfluxStatus after = writer.status();
    EXPECT_EQ(after.pointsQueued + after.pointsDropped, written);
    EXPECT_TRUE(after.lastError.isEmpty() || !after.lastError.contains(QLatin1String("spool")));
}

TEST(Durability, AJobsEndSurvivesAKill9RightAfterIt)
{
    MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    QTemporaryDir dir;
    const QString state = dir.filePath(QStringLiteral("ledger.json"));
    const QStringList args = processorArgs(broker, state, QStringLiteral("durable-processor"));
    // Per-job lines are debug lines (the info log has a summary): the test waits for the end's.
    qputenv("QT_LOGGING_RULES", "greenpulse.processor.debug=true");
    Child processor;
    const bool started = startProcessor(processor, args);
    qunsetenv("QT_LOGGING_RULES");
    ASSERT_TRUE(started) << processor.readStderr().toStdString();

    Publisher pub(broker, QStringLiteral("durable-publisher"));
    ASSERT_TRUE(pub.connected());
    const QString host = QStringLiteral("durable-host");
    const QString jobId = pub.jobs->start(QStringLiteral("Train"), host);
    for (int i = 0; i < 6; ++i) {
        pub.power(host, nowNs(), 400);
        spin(250);
    }
    const TimeNs beforeEnd = nowNs();
    pub.jobs->end(jobId, 0);
    ASSERT_TRUE(pub.idle());
    const TimeNs afterEnd = nowNs();
    ASSERT_TRUE(waitUntil([&] { return processor.readStderr().contains("job ended"); }, 5000));
    processor.kill(); // kill -9 right after the end was acknowledged and applied
    EXPECT_LT(nowNs() - afterEnd, 1'000'000'000LL);

    Child again;
    ASSERT_TRUE(startProcessor(again, args)) << again.readStderr().toStdString();
    pub.power(host, nowNs(), 400);
    spin(3000); // past the reconciliation
    const QJsonObject job = stopAndFindJob(again, jobId);
    EXPECT_EQ(job.value(QLatin1String("status")).toString(), QLatin1String("ended"));
    const double end = job.value(QLatin1String("end")).toDouble();
    EXPECT_GE(end, toSeconds(beforeEnd) - 0.001);
    EXPECT_LE(end, toSeconds(afterEnd) + 0.001);
    EXPECT_EQ(job.value(QLatin1String("exit_code")).toInt(-1), 0);
}

TEST(Durability, AJobWhoseEndWasLostWhileAwayIsEndedFromTheRetainedState)
{
    MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    QTemporaryDir dir;
    const QString state = dir.filePath(QStringLiteral("ledger.json"));
    Child processor;
    ASSERT_TRUE(startProcessor(processor, processorArgs(broker, state, QStringLiteral("rec-a"))))
        << processor.readStderr().toStdString();

    Publisher pub(broker, QStringLiteral("reconcile-publisher"));
    ASSERT_TRUE(pub.connected());
    const QString host = QStringLiteral("reconcile-host");
    const QString lost = pub.jobs->start(QStringLiteral("Lost_End"), host);
    const QString alive = pub.jobs->start(QStringLiteral("Still_Running"), host);
    // A publisher of the original contract: control messages only, no retained state.
    ControlMessage legacy;
    legacy.jobId = QStringLiteral("Legacy_1764049200_abcdef");
    legacy.host = host;
    legacy.timestampNs = nowNs();
    pub.mqtt->publish(QByteArray(topics::kControl), encode(legacy), 1);
    TimeNs lastSample = 0;
    for (int i = 0; i < 6; ++i) {
        lastSample = nowNs();
        pub.power(host, lastSample, 300);
        spin(200);
    }
    ASSERT_TRUE(pub.idle());
    spin(1500); // a state save (every second) with the last sample in it
    processor.kill();

    // While it is away the job ends, and this processor's session never gets the end (a new
    // client id stands for a broker that lost its queue).
    pub.jobs->end(lost, 3);
    ASSERT_TRUE(pub.idle());
    Child again;
    ASSERT_TRUE(startProcessor(again, processorArgs(broker, state, QStringLiteral("rec-b"))))
        << again.readStderr().toStdString();
    ASSERT_TRUE(
        waitUntil([&] { return again.readStderr().contains("retained state is gone"); }, 8000))
        << again.readStderr().toStdString();
    QJsonObject counters;
    const QJsonObject job = stopAndFindJob(again, lost, &counters);
    EXPECT_EQ(job.value(QLatin1String("status")).toString(), QLatin1String("ended"));
    EXPECT_NEAR(job.value(QLatin1String("end")).toDouble(), toSeconds(lastSample), 1e-3);
    EXPECT_EQ(counters.value(QLatin1String("reconciled_ends")).toInt(), 1);

    const QJsonObject out = QJsonDocument::fromJson(again.readStdout()).object();
    for (const QJsonValue &v : out.value(QLatin1String("jobs")).toArray()) {
        const QString id = v.toObject().value(QLatin1String("job_id")).toString();
        if (id == alive || id == legacy.jobId) {
            EXPECT_EQ(v.toObject().value(QLatin1String("status")).toString(),
                      QLatin1String("running"))
                << id.toStdString();
        }
    }
}

// Needs the ledger side of issue 11 (the first interval of each host after a restore counts as
// uncovered unless the sample sequence proves nothing was lost) to pass.
TEST(Durability, SamplesLostInAKill9ShowAsUncoveredTime)
{
    PipelineStack stack;
    ASSERT_TRUE(stack.broker.start()) << stack.broker.lastError().toStdString();
    const QString state = stack.dir.filePath(QStringLiteral("ledger.json"));
    const QStringList args =
        processorArgs(stack.broker, state, QStringLiteral("uncovered-processor"));
    Child processor;
    ASSERT_TRUE(startProcessor(processor, args)) << processor.readStderr().toStdString();
    ASSERT_TRUE(stack.startSimulators());
    Publisher pub(stack.broker, QStringLiteral("uncovered-publisher"));
    ASSERT_TRUE(pub.connected());
    const QString jobId = pub.jobs->start(QStringLiteral("Crash"), stack.host);
    ASSERT_TRUE(pub.idle());
    spin(3700); // mid-way between two state saves, samples acknowledged since the last one
    processor.kill();
    spin(2000);

    Child again;
    ASSERT_TRUE(startProcessor(again, args)) << again.readStderr().toStdString();
    spin(4000);
    pub.jobs->end(jobId);
    ASSERT_TRUE(pub.idle());
    spin(1500);
    const QJsonObject job = stopAndFindJob(again, jobId);
    EXPECT_GT(job.value(QLatin1String("uncovered_s")).toDouble(), 0.0)
        << "samples lost in the crash were filled in as covered";
    EXPECT_LT(job.value(QLatin1String("coverage")).toDouble(), 1.0);
}
