// The shipped ACL (packaging/mosquitto/greenpulse-acl.conf) on a real mosquitto with a password
// file, with greenpulse-processor, greenpulse-job and an agent account end to end: an agent
// account reports only its own host, a user cannot end another user's job (it keeps running and
// not_owner is counted), an operator can. docs/security.md.
#include "MosquittoBroker.h"
#include "TestSupport.h"
#include "base/Clock.h"
#include "mqtt/MosquittoClient.h"
#include "pipeline/LedgerFeed.h"
#include "pipeline/LedgerFollower.h"
#include "protocol/Protocol.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <csignal>
#include <gtest/gtest.h>

using namespace greenpulse::core;
using namespace greenpulse::test;

namespace {

constexpr int kTimeoutMs = 15'000;

QByteArray shippedAcl()
{
    QFile file(QStringLiteral(GREENPULSE_SOURCE_DIR "/packaging/mosquitto/greenpulse-acl.conf"));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

MosquittoBroker::Config securedBroker()
{
    MosquittoBroker::Config config;
    config.accounts = {{QStringLiteral("greenpulse-processor"), QStringLiteral("pp")},
                       {QStringLiteral("gpu-01"), QStringLiteral("aa")},
                       {QStringLiteral("alice"), QStringLiteral("al")},
                       {QStringLiteral("bob"), QStringLiteral("bo")},
                       {QStringLiteral("operator"), QStringLiteral("op")}};
    config.acl = shippedAcl();
    return config;
}

std::unique_ptr<MosquittoClient> connectAs(const MosquittoBroker &broker, const QString &user,
                                           const QString &password)
{
    MqttOptions o;
    o.brokerUrl = broker.url();
    o.clientId = QStringLiteral("acl-test-") + user;
    o.username = user;
    o.password = password;
    auto client = std::make_unique<MosquittoClient>(o);
    client->connectToBroker();
    EXPECT_TRUE(
        waitUntil([&] { return client->state() == ConnectionState::Connected; }, kTimeoutMs))
        << user.toStdString() << ": " << client->lastError().toStdString();
    return client;
}

QByteArray power(const char *host, double watts)
{
    PowerSample s;
    s.host = QString::fromLatin1(host);
    s.watts = watts;
    s.timestampNs = QDateTime::currentMSecsSinceEpoch() * 1'000'000LL;
    return encode(s);
}

// greenpulse-job as `user`; returns stdout (the job id for start).
QByteArray job(const MosquittoBroker &broker, const QString &user, const QString &password,
               const QStringList &args)
{
    const ProcessResult r =
        run(binary(QStringLiteral("greenpulse-job")),
            QStringList{QStringLiteral("--broker"), broker.url(), QStringLiteral("--username"),
                        user, QStringLiteral("--config"), QStringLiteral("/dev/null")} +
                args,
            30000, {QStringLiteral("GREENPULSE_PASSWORD=") + password});
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    return r.out.trimmed();
}

// The processor's counters, from its SIGHUP dump on stderr.
bool waitForCounter(Child &processor, const char *name, int value)
{
    const QByteArray wanted = QByteArray("\"") + name + "\": " + QByteArray::number(value);
    return waitUntil(
        [&] {
            ::kill(static_cast<pid_t>(processor.pid()), SIGHUP);
            spin(200);
            return processor.readStderr().contains(wanted);
        },
        kTimeoutMs);
}

} // namespace

TEST(BrokerAcl, AgentsReportOnlyTheirHostAndOnlyOwnersOrOperatorsEndJobs)
{
    ASSERT_FALSE(shippedAcl().isEmpty());
    MosquittoBroker broker(securedBroker());
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();

    Child processor;
    ASSERT_TRUE(processor.start(
        binary(QStringLiteral("greenpulse-processor")),
        {QStringLiteral("--broker"), broker.url(), QStringLiteral("--username"),
         QStringLiteral("greenpulse-processor"), QStringLiteral("--client-id"),
         QStringLiteral("greenpulse-processor"), QStringLiteral("--state-file"),
         QStringLiteral("none"), QStringLiteral("--config"), QStringLiteral("/dev/null")},
        {QStringLiteral("GREENPULSE_PASSWORD=pp")}));
    ASSERT_TRUE(
        waitUntil([&] { return processor.readStderr().contains("MQTT connected"); }, kTimeoutMs))
        << processor.readStderr().toStdString();

    // The agent account gpu-01: its own host's samples arrive; another host's do not (the broker
    // drops them), and a per-host topic naming another host in its payload is not believed.
    auto agent = connectAs(broker, QStringLiteral("gpu-01"), QStringLiteral("aa"));
    agent->publish(topics::powerForHost(QStringLiteral("gpu-01")), power("gpu-01", 300));
    agent->publish(topics::powerForHost(QStringLiteral("gpu-02")), power("gpu-02", 900));
    agent->publish(QByteArray(topics::kPower), power("gpu-02", 900));
    agent->publish(topics::powerForHost(QStringLiteral("gpu-01")), power("gpu-02", 900));
    ASSERT_TRUE(waitForCounter(processor, "host_mismatch", 1))
        << processor.readStderr().toStdString();

    // alice starts a job on gpu-01 through greenpulse-job (her own topic: --control-topic auto).
    const QString jobId =
        QString::fromUtf8(job(broker, QStringLiteral("alice"), QStringLiteral("al"),
                              {QStringLiteral("start"), QStringLiteral("train"),
                               QStringLiteral("--host"), QStringLiteral("gpu-01")}));
    ASSERT_FALSE(jobId.isEmpty());
    agent->publish(topics::powerForHost(QStringLiteral("gpu-01")), power("gpu-01", 400));

    // bob cannot end it: refused and counted; it keeps running.
    job(broker, QStringLiteral("bob"), QStringLiteral("bo"), {QStringLiteral("stop"), jobId});
    ASSERT_TRUE(waitForCounter(processor, "not_owner", 1)) << processor.readStderr().toStdString();
    EXPECT_TRUE(processor.readStderr().contains("user:bob")) << "the refusal names the user";
    // bob cannot even write to alice's topic or the operators' one: the broker drops those.
    auto bob = connectAs(broker, QStringLiteral("bob"), QStringLiteral("bo"));
    ControlMessage end;
    end.status = JobStatus::End;
    end.jobId = jobId;
    end.timestampNs = QDateTime::currentMSecsSinceEpoch() * 1'000'000LL;
    bob->publish(topics::control(ControlOrigin::forUser(QStringLiteral("alice"))), encode(end));
    bob->publish(topics::kOperatorsControl, encode(end));
    bob->publish(topics::kControl, encode(end));
    spin(1000);

    // An operator can.
    const qint64 operatorAtMs = QDateTime::currentMSecsSinceEpoch();
    job(broker, QStringLiteral("operator"), QStringLiteral("op"),
        {QStringLiteral("--control-topic"), QStringLiteral("operators"), QStringLiteral("stop"),
         jobId});
    agent->publish(topics::powerForHost(QStringLiteral("gpu-01")), power("gpu-01", 300));
    spin(1000);

    ASSERT_TRUE(processor.terminate());
    const QByteArray out = processor.readStdout();
    const QJsonObject summary = QJsonDocument::fromJson(out).object();
    ASSERT_FALSE(summary.isEmpty()) << out.toStdString();
    EXPECT_FALSE(out.contains("gpu-02")) << "a host the agent is not never appears";
    const QJsonObject byReason = summary.value(QLatin1String("counters"))
                                     .toObject()
                                     .value(QLatin1String("by_reason"))
                                     .toObject();
    EXPECT_EQ(byReason.value(QLatin1String("not_owner")).toInt(), 1);
    EXPECT_EQ(byReason.value(QLatin1String("host_mismatch")).toInt(), 1);
    // gpu-01's three own samples, and nothing for gpu-02: the broker dropped both samples
    // on topics the account may not write.
    EXPECT_EQ(summary.value(QLatin1String("counters"))
                  .toObject()
                  .value(QLatin1String("ledger"))
                  .toObject()
                  .value(QLatin1String("power_samples"))
                  .toInt(),
              3)
        << out.toStdString();
    bool found = false;
    for (const QJsonValue &v : summary.value(QLatin1String("jobs")).toArray()) {
        const QJsonObject j = v.toObject();
        if (j.value(QLatin1String("job_id")).toString() != jobId) {
            continue;
        }
        found = true;
        EXPECT_EQ(j.value(QLatin1String("status")).toString(), QStringLiteral("ended"));
        // Ended by the operator, not by bob before.
        EXPECT_GE(j.value(QLatin1String("end")).toDouble() * 1000.0, operatorAtMs - 50.0);
    }
    EXPECT_TRUE(found) << out.toStdString();
}

TEST(BrokerTls, AMissingCaFileStopsTheProcessorWithItsPath)
{
    const QString missing = QStringLiteral("/nonexistent/greenpulse-test-ca.crt");
    const ProcessResult r =
        run(binary(QStringLiteral("greenpulse-processor")),
            {QStringLiteral("--broker"), QStringLiteral("ssl://127.0.0.1:1"),
             QStringLiteral("--ca-file"), missing, QStringLiteral("--config"),
             QStringLiteral("/dev/null"), QStringLiteral("--state-file"), QStringLiteral("none")},
            10000);
    EXPECT_EQ(r.exitCode, 2) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(missing.toUtf8())) << r.err.toStdString();
}

TEST(BrokerTls, PrintConfigMasksUrlPasswords)
{
    const ProcessResult r = run(
        binary(QStringLiteral("greenpulse-processor")),
        {QStringLiteral("--broker"), QStringLiteral("tcp://gp:mqtt-secret@127.0.0.1:1883"),
         QStringLiteral("--influx-url"), QStringLiteral("http://admin:influx-secret@db:8086"),
         QStringLiteral("--config"), QStringLiteral("/dev/null"), QStringLiteral("--print-config")},
        10000);
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_FALSE(r.out.contains("secret")) << r.out.toStdString();
    EXPECT_TRUE(r.out.contains("http://admin:***@db:8086")) << r.out.toStdString();
}

// The processor's account publishes its ledger (greenpulse/ledger/<name>/...), which any account
// reads; another account cannot forge an entry in it.
TEST(BrokerAcl, OnlyTheProcessorPublishesItsLedger)
{
    MosquittoBroker broker(securedBroker());
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    const QString name = QStringLiteral("site-acl");
    Child processor;
    ASSERT_TRUE(
        processor.start(binary(QStringLiteral("greenpulse-processor")),
                        {QStringLiteral("--broker"), broker.url(), QStringLiteral("--username"),
                         QStringLiteral("greenpulse-processor"), QStringLiteral("--client-id"),
                         QStringLiteral("greenpulse-processor"), QStringLiteral("--processor-name"),
                         name, QStringLiteral("--ledger-interval-s"), QStringLiteral("0.5"),
                         QStringLiteral("--state-file"), QStringLiteral("none"),
                         QStringLiteral("--config"), QStringLiteral("/dev/null")},
                        {QStringLiteral("GREENPULSE_PASSWORD=pp")}));
    ASSERT_TRUE(
        waitUntil([&] { return processor.readStderr().contains("MQTT connected"); }, kTimeoutMs))
        << processor.readStderr().toStdString();

    auto bob = connectAs(broker, QStringLiteral("bob"), QStringLiteral("bo"));
    JobSummary forged;
    forged.jobId = QStringLiteral("forged");
    forged.kwh = 1e6;
    bob->publish(topics::ledgerJob(name, forged.jobId),
                 QJsonDocument(ledgerfeed::jobToJson(forged)).toJson(QJsonDocument::Compact), 1,
                 true);
    auto agent = connectAs(broker, QStringLiteral("gpu-01"), QStringLiteral("aa"));
    agent->publish(topics::powerForHost(QStringLiteral("gpu-01")), power("gpu-01", 300));
    spin(300);
    agent->publish(topics::powerForHost(QStringLiteral("gpu-01")), power("gpu-01", 310));

    auto alice = connectAs(broker, QStringLiteral("alice"), QStringLiteral("al"));
    SystemClock clock;
    LedgerFollower follower(*alice, clock, name);
    follower.setSnapshotIntervalMs(100);
    follower.start();
    ASSERT_TRUE(waitUntil(
        [&] {
            const auto s = follower.snapshot();
            return s->followReceivedNs != 0 && s->hosts.size() == 1 &&
                   s->hosts[0].host == QStringLiteral("gpu-01");
        },
        kTimeoutMs));
    spin(1000);
    for (const JobSummary &job : follower.snapshot()->jobs) {
        // The broker drops it (were it let through, the processor would clear it at its next
        // publish: it clears retained ledger topics of its own name that its ledger lacks).
        EXPECT_NE(job.jobId, forged.jobId);
    }
    ASSERT_TRUE(processor.terminate());
}
