// Simulators: unit tests of their classes (job tracking, samples, job publishing) and integration
// tests running the real executables against a real mosquitto.
#include "HostAgent.h"
#include "JobTracker.h"
#include "MosquittoBroker.h"
#include "RecordingMqttClient.h"
#include "Samples.h"
#include "ScopedJob.h"
#include "SensorSimulator.h"
#include "TestSupport.h"
#include "VisibleDevices.h"
#include "control/JobPublisher.h"
#include "protocol/JobId.h"
#include "protocol/Protocol.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <gtest/gtest.h>
#include <stdexcept>

using namespace greenpulse;
using core::ControlMessage;
using core::JobStatus;
using core::TimeNs;
using test::controlAt;
using test::kSecond;
using test::kT0;
using test::nowNs;

namespace {

const ControlMessage *asControl(const core::Decoded &decoded)
{
    return std::get_if<ControlMessage>(&decoded);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// JobTracker

TEST(JobTracker, StartForThisHostMakesItBusy)
{
    sim::JobTracker tracker(QStringLiteral("gpu01"));
    EXPECT_FALSE(tracker.isBusy());
    EXPECT_TRUE(tracker.currentJobId().isEmpty());
    EXPECT_TRUE(tracker.handleControl(
        controlAt(JobStatus::Start, QStringLiteral("A_1_aaaaaa"), QStringLiteral("gpu01"), kT0)));
    EXPECT_TRUE(tracker.isBusy());
    EXPECT_EQ(tracker.currentJobId(), QStringLiteral("A_1_aaaaaa"));
}

TEST(JobTracker, StartForAllHostsAndHostCase)
{
    sim::JobTracker tracker(QStringLiteral("gpu01"));
    EXPECT_TRUE(tracker.handleControl(controlAt(JobStatus::Start, QStringLiteral("A"), {}, kT0)));
    EXPECT_EQ(tracker.currentJobId(), QStringLiteral("A"));
    EXPECT_TRUE(tracker.handleControl(
        controlAt(JobStatus::Start, QStringLiteral("B"), QStringLiteral("GPU01"), kT0 + kSecond)));
    EXPECT_EQ(tracker.currentJobId(), QStringLiteral("B"));
}

TEST(JobTracker, StartForAnotherHostIsIgnored)
{
    sim::JobTracker tracker(QStringLiteral("gpu01"));
    EXPECT_FALSE(tracker.handleControl(
        controlAt(JobStatus::Start, QStringLiteral("A"), QStringLiteral("gpu02"), kT0)));
    EXPECT_FALSE(tracker.isBusy());
}

TEST(JobTracker, EndMakesItIdleAgainWhateverHostItNames)
{
    sim::JobTracker tracker(QStringLiteral("gpu01"));
    tracker.handleControl(controlAt(JobStatus::Start, QStringLiteral("A"), {}, kT0));
    EXPECT_FALSE(
        tracker.handleControl(controlAt(JobStatus::End, QStringLiteral("other"), {}, kT0)));
    EXPECT_TRUE(tracker.isBusy());
    EXPECT_TRUE(tracker.handleControl(controlAt(JobStatus::End, QStringLiteral("A"),
                                                QStringLiteral("elsewhere"), kT0 + kSecond)));
    EXPECT_FALSE(tracker.isBusy());
    EXPECT_TRUE(tracker.currentJobId().isEmpty());
}

TEST(JobTracker, LatestStartedIsCurrent)
{
    sim::JobTracker tracker(QStringLiteral("gpu01"));
    // Arrival order differs from start order (as with retained messages): timestamps decide.
    tracker.handleControl(
        controlAt(JobStatus::Start, QStringLiteral("late"), {}, kT0 + 5 * kSecond));
    tracker.handleControl(controlAt(JobStatus::Start, QStringLiteral("early"), {}, kT0));
    EXPECT_EQ(tracker.currentJobId(), QStringLiteral("late"));
    EXPECT_EQ(tracker.runningJobIds(),
              (QStringList{QStringLiteral("early"), QStringLiteral("late")}));
    tracker.handleControl(controlAt(JobStatus::End, QStringLiteral("late"), {}, kT0 + 6 * kSecond));
    EXPECT_EQ(tracker.currentJobId(), QStringLiteral("early"));
}

TEST(JobTracker, RetainedStateStartsAndEmptyRetainedClears)
{
    sim::JobTracker tracker(QStringLiteral("gpu01"));
    const QString id = QStringLiteral("Train_1764049200_a1b2c3");
    const QByteArray start = core::encode(controlAt(JobStatus::Start, id, {}, kT0));
    EXPECT_TRUE(tracker.handleMessage(core::topics::jobState(id), start, kT0 + kSecond));
    EXPECT_EQ(tracker.currentJobId(), id);
    // The control start of the same job changes nothing.
    EXPECT_FALSE(tracker.handleMessage(core::topics::kControl, start, kT0 + kSecond));
    EXPECT_TRUE(tracker.handleMessage(core::topics::jobState(id), QByteArray(), kT0 + 2 * kSecond));
    EXPECT_FALSE(tracker.isBusy());
    // A stale retained copy arriving after the end does not bring it back.
    EXPECT_FALSE(tracker.handleMessage(core::topics::jobState(id), start, kT0 + 3 * kSecond));
    EXPECT_FALSE(tracker.isBusy());
}

TEST(JobTracker, RetainedStateForAnotherHostOrMismatchedIdIsIgnored)
{
    sim::JobTracker tracker(QStringLiteral("gpu01"));
    const QString id = QStringLiteral("Train_1764049200_a1b2c3");
    EXPECT_FALSE(tracker.handleMessage(
        core::topics::jobState(id),
        core::encode(controlAt(JobStatus::Start, id, QStringLiteral("gpu02"), kT0)), kT0));
    EXPECT_FALSE(tracker.handleMessage(core::topics::jobState(QStringLiteral("other")),
                                       core::encode(controlAt(JobStatus::Start, id, {}, kT0)),
                                       kT0));
    EXPECT_FALSE(tracker.handleMessage(core::topics::kControl, "not json", kT0));
    EXPECT_FALSE(tracker.handleMessage(core::topics::kPower, "{}", kT0));
    EXPECT_FALSE(tracker.isBusy());
}

TEST(JobTracker, ControlMessagesThroughTheDecoder)
{
    sim::JobTracker tracker(QStringLiteral("gpu01"));
    EXPECT_TRUE(tracker.handleMessage(core::topics::kControl,
                                      R"({"status":"start","job_id":"J_1764049200_000001"})", kT0));
    EXPECT_EQ(tracker.currentJobId(), QStringLiteral("J_1764049200_000001"));
    EXPECT_TRUE(tracker.handleMessage(core::topics::kControl,
                                      R"({"status":"end","job_id":"J_1764049200_000001"})", kT0));
    EXPECT_FALSE(tracker.isBusy());
}

// ---------------------------------------------------------------------------------------------
// Samples

TEST(SensorSimulator, SampleFollowsTheWaveforms)
{
    const core::FlowTempSample s =
        sim::SensorSimulator::sampleAt(QStringLiteral("gpu01"), 15.0, kT0);
    EXPECT_EQ(s.host, QStringLiteral("gpu01"));
    EXPECT_DOUBLE_EQ(s.flowLpm, 2.5);
    EXPECT_DOUBLE_EQ(s.tempC, 25.5);
    EXPECT_EQ(s.timestampNs, kT0);
}

TEST(HostAgent, PowerRangesFollowTheJobState)
{
    test::RecordingMqttClient client;
    core::ManualClock clock(kT0);
    QRandomGenerator random(42);
    sim::HostAgent::Settings settings;
    settings.host = QStringLiteral("gpu01");
    sim::HostAgent agent(client, settings, random, clock);
    for (int i = 0; i < 200; ++i) {
        const core::PowerSample s = agent.sample(kT0);
        ASSERT_GE(s.watts, 95.0);
        ASSERT_LE(s.watts, 105.0);
        ASSERT_TRUE(s.jobId.isEmpty());
        ASSERT_EQ(s.host, QStringLiteral("gpu01"));
    }
    const QString id = QStringLiteral("Train_1764049200_a1b2c3");
    emit client.messageReceived(core::topics::kControl,
                                core::encode(controlAt(JobStatus::Start, id, {}, kT0)));
    for (int i = 0; i < 200; ++i) {
        const core::PowerSample s = agent.sample(kT0);
        ASSERT_GE(s.watts, 350.0);
        ASSERT_LE(s.watts, 500.0);
        ASSERT_EQ(s.jobId, id);
    }
}

// ---------------------------------------------------------------------------------------------
// JobPublisher and ScopedJob

TEST(JobPublisher, StartPublishesControlAndRetainedState)
{
    test::RecordingMqttClient client;
    core::ManualClock clock(kT0);
    core::JobPublisher publisher(client, &clock);
    const QString id = publisher.start(QStringLiteral("Train"), QStringLiteral("gpu01"));
    EXPECT_TRUE(core::jobid::isWellFormed(id)) << id.toStdString();
    EXPECT_TRUE(id.startsWith(QStringLiteral("Train_")));
    ASSERT_EQ(client.published.size(), 2);
    EXPECT_EQ(client.published[0].topic, QByteArray(core::topics::kControl));
    EXPECT_EQ(client.published[0].qos, 1);
    EXPECT_FALSE(client.published[0].retain);
    EXPECT_EQ(client.published[1].topic, core::topics::jobState(id));
    EXPECT_TRUE(client.published[1].retain);
    for (const auto &m : client.published) {
        const core::Decoded d = core::decode(core::topics::kControl, m.payload, 0);
        const ControlMessage *c = asControl(d);
        ASSERT_NE(c, nullptr);
        EXPECT_EQ(c->status, JobStatus::Start);
        EXPECT_EQ(c->jobId, id);
        EXPECT_EQ(c->host, QStringLiteral("gpu01"));
        EXPECT_EQ(c->timestampNs, kT0);
    }
}

TEST(JobPublisher, EndPublishesControlWithExitCodeAndClearsState)
{
    test::RecordingMqttClient client;
    core::ManualClock clock(kT0);
    core::JobPublisher publisher(client, &clock);
    const QString id = publisher.start(QStringLiteral("Train"), QStringLiteral("gpu01"));
    clock.advanceSeconds(10);
    publisher.end(id, 3);
    ASSERT_EQ(client.published.size(), 4);
    const core::Decoded d = core::decode(client.published[2].topic, client.published[2].payload, 0);
    const ControlMessage *c = asControl(d);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->status, JobStatus::End);
    EXPECT_EQ(c->jobId, id);
    EXPECT_EQ(c->host, QStringLiteral("gpu01"));
    EXPECT_EQ(c->timestampNs, kT0 + 10 * kSecond);
    EXPECT_EQ(c->exitCode, std::optional<int>(3));
    EXPECT_EQ(client.published[3].topic, core::topics::jobState(id));
    EXPECT_TRUE(client.published[3].payload.isEmpty());
    EXPECT_TRUE(client.published[3].retain);
}

TEST(ScopedJob, PublishesEndOnDestructionAndWhenUnwinding)
{
    test::RecordingMqttClient client;
    core::JobPublisher publisher(client);
    QString id;
    {
        core::ScopedJob job(publisher, QStringLiteral("A"));
        id = job.jobId();
        job.setExitCode(0);
        EXPECT_EQ(client.published.size(), 2);
    }
    ASSERT_EQ(client.published.size(), 4);
    const ControlMessage *end = nullptr;
    core::Decoded d = core::decode(client.published[2].topic, client.published[2].payload, 0);
    end = asControl(d);
    ASSERT_NE(end, nullptr);
    EXPECT_EQ(end->status, JobStatus::End);
    EXPECT_EQ(end->jobId, id);
    EXPECT_EQ(end->exitCode, std::optional<int>(0));

    try {
        core::ScopedJob job(publisher, QStringLiteral("B"));
        id = job.jobId();
        throw std::runtime_error("training failed");
    } catch (const std::runtime_error &) {
    }
    ASSERT_EQ(client.published.size(), 8);
    d = core::decode(client.published[6].topic, client.published[6].payload, 0);
    end = asControl(d);
    ASSERT_NE(end, nullptr);
    EXPECT_EQ(end->status, JobStatus::End);
    EXPECT_EQ(end->jobId, id);
    EXPECT_FALSE(end->exitCode.has_value());
}

// ---------------------------------------------------------------------------------------------
// Integration: the executables against a real mosquitto

namespace {

std::string text(const QByteArray &bytes)
{
    return bytes.toStdString();
}

template <typename T>
QList<T> samplesOf(const QList<QPair<QByteArray, QByteArray>> &messages, const char *topic,
                   const QString &host = {})
{
    QList<T> out;
    for (const auto &[t, payload] : messages) {
        // By kind: the agents publish on their per-host topics, greenpulse-job on the user's.
        if (core::classifyTopic(t) != core::classifyTopic(QByteArrayView(topic))) {
            continue;
        }
        const core::Decoded d = core::decode(t, payload, nowNs());
        if (const T *s = std::get_if<T>(&d)) {
            if (host.isEmpty() || s->host == host) {
                out.append(*s);
            }
        } else {
            ADD_FAILURE() << "undecodable message on " << topic << ": " << text(payload);
        }
    }
    return out;
}

QList<ControlMessage> controlsOf(const QList<QPair<QByteArray, QByteArray>> &messages)
{
    return samplesOf<ControlMessage>(messages, core::topics::kControl);
}

QByteArray lastPayloadOn(const QList<QPair<QByteArray, QByteArray>> &messages,
                         const QByteArray &topic, bool *found = nullptr)
{
    QByteArray last;
    bool seen = false;
    for (const auto &[t, payload] : messages) {
        if (t == topic) {
            // mosquitto_sub -v prints an empty payload as "(null)".
            last = payload == "(null)" ? QByteArray() : payload;
            seen = true;
        }
    }
    if (found) {
        *found = seen;
    }
    return last;
}

class SimulatorsIntegration : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_broker.start()) << m_broker.lastError().toStdString();
        ASSERT_TRUE(m_sub.start(m_broker.url()));
    }

    // The broker option first: for `run`, whatever follows "--" belongs to the command.
    QStringList withBroker(const QStringList &args) const
    {
        return QStringList{QStringLiteral("--broker"), m_broker.url()} + args;
    }
    // The host agent's simulated power (its default, auto, would measure a machine that has
    // RAPL, hwmon or NVML, and these tests check the simulated ranges).
    QStringList simulatedAgent(const QStringList &args) const
    {
        return withBroker(args) + QStringList{QStringLiteral("--source"), QStringLiteral("sim")};
    }

    test::ProcessResult job(const QStringList &args, int timeoutMs = 30000)
    {
        return test::run(test::binary(QStringLiteral("greenpulse-job")), withBroker(args),
                         timeoutMs);
    }

    QList<core::PowerSample> power(const QString &host = {})
    {
        return samplesOf<core::PowerSample>(m_sub.messages(), core::topics::kPower, host);
    }

    test::MosquittoBroker m_broker;
    test::MosquittoSubscriber m_sub;
};

const QString kHost = QStringLiteral("testhost");

} // namespace

TEST_F(SimulatorsIntegration, SensorSimPublishesFlowAndTemperature)
{
    const TimeNs before = nowNs();
    const test::ProcessResult r = test::run(
        test::binary(QStringLiteral("greenpulse-sensor-sim")),
        withBroker({QStringLiteral("--host"), kHost, QStringLiteral("--count"), QStringLiteral("5"),
                    QStringLiteral("--interval-ms"), QStringLiteral("100")}),
        20000);
    ASSERT_EQ(r.exitCode, 0) << text(r.err);
    QList<core::FlowTempSample> samples;
    EXPECT_TRUE(test::waitUntil(
        [&] {
            samples = samplesOf<core::FlowTempSample>(m_sub.messages(), core::topics::kFlowTemp);
            return samples.size() >= 5;
        },
        5000));
    ASSERT_EQ(samples.size(), 5);
    TimeNs previous = before - kSecond;
    quint64 seq = 0;
    for (const core::FlowTempSample &s : samples) {
        EXPECT_EQ(s.seq, std::optional<quint64>(++seq)); // 1, 2, 3...: lost ones show
        EXPECT_EQ(s.host, kHost);
        EXPECT_GE(s.flowLpm, 0.1 - 1e-9);
        EXPECT_LE(s.flowLpm, 2.5 + 1e-9);
        EXPECT_GE(s.tempC, 25.0);
        EXPECT_LE(s.tempC, 35.0);
        EXPECT_FALSE(s.timestampFromReceipt);
        EXPECT_GT(s.timestampNs, previous);
        EXPECT_LE(s.timestampNs, nowNs());
        previous = s.timestampNs;
    }
    // The run started at the mean flow, rising, and at the coolest temperature.
    EXPECT_NEAR(samples.first().flowLpm, 1.3, 0.05);
    EXPECT_NEAR(samples.first().tempC, 25.0, 0.05);
    EXPECT_GT(samples.last().flowLpm, samples.first().flowLpm);
    // Presence: "online" while running, "offline" after a clean exit.
    const QByteArray status =
        core::topics::status(QStringLiteral("greenpulse-sensor-sim-testhost"));
    EXPECT_TRUE(test::waitUntil(
        [&] { return lastPayloadOn(m_sub.messages(), status) == "offline"; }, 3000));
}

TEST_F(SimulatorsIntegration, HostAgentReportsIdlePowerWithNullJob)
{
    const test::ProcessResult r =
        test::run(test::binary(QStringLiteral("greenpulse-host-agent")),
                  simulatedAgent({QStringLiteral("--host"), kHost, QStringLiteral("--count"),
                                  QStringLiteral("3"), QStringLiteral("--interval-ms"),
                                  QStringLiteral("100")}),
                  20000);
    ASSERT_EQ(r.exitCode, 0) << text(r.err);
    QList<core::PowerSample> samples;
    EXPECT_TRUE(test::waitUntil([&] { return (samples = power()).size() >= 3; }, 5000));
    ASSERT_EQ(samples.size(), 3);
    TimeNs previous = 0;
    quint64 seq = 0;
    for (const core::PowerSample &s : samples) {
        EXPECT_EQ(s.seq, std::optional<quint64>(++seq)); // 1, 2, 3...: lost ones show
        EXPECT_EQ(s.host, kHost);
        EXPECT_GE(s.watts, 95.0);
        EXPECT_LE(s.watts, 105.0);
        EXPECT_TRUE(s.jobId.isEmpty());
        EXPECT_GT(s.timestampNs, previous);
        previous = s.timestampNs;
    }
    for (const auto &[topic, payload] : m_sub.messages()) {
        if (core::classifyTopic(topic) == core::TopicKind::Power) {
            EXPECT_TRUE(payload.contains("\"job_id\":null")) << text(payload);
        }
    }
}

TEST_F(SimulatorsIntegration, HostAgentFollowsJobStartAndStop)
{
    test::Child agent;
    ASSERT_TRUE(
        agent.start(test::binary(QStringLiteral("greenpulse-host-agent")),
                    simulatedAgent({QStringLiteral("--host"), kHost,
                                    QStringLiteral("--interval-ms"), QStringLiteral("100")})));
    ASSERT_TRUE(test::waitUntil([&] { return power().size() >= 3; }, 10000))
        << text(agent.readStderr());

    const test::ProcessResult started = job({QStringLiteral("start"), QStringLiteral("Train")});
    ASSERT_EQ(started.exitCode, 0) << text(started.err);
    const QString id = QString::fromUtf8(started.out).trimmed();
    ASSERT_TRUE(core::jobid::isWellFormed(id)) << text(started.out);
    EXPECT_TRUE(id.startsWith(QStringLiteral("Train_")));

    ASSERT_TRUE(test::waitUntil(
        [&] {
            int busy = 0;
            for (const auto &s : power()) {
                busy += s.jobId == id ? 1 : 0;
            }
            return busy >= 3;
        },
        5000));

    const test::ProcessResult stopped = job({QStringLiteral("stop"), id});
    ASSERT_EQ(stopped.exitCode, 0) << text(stopped.err);
    // Once the end is through, the agent reports idle again.
    ASSERT_TRUE(test::waitUntil(
        [&] {
            const QList<core::PowerSample> all = power();
            qsizetype lastBusy = -1;
            for (qsizetype i = 0; i < all.size(); ++i) {
                if (all[i].jobId == id) {
                    lastBusy = i;
                }
            }
            return lastBusy >= 0 && all.size() - lastBusy > 3;
        },
        5000));

    for (const core::PowerSample &s : power()) {
        EXPECT_EQ(s.host, kHost);
        if (s.jobId == id) {
            EXPECT_GE(s.watts, 350.0);
            EXPECT_LE(s.watts, 500.0);
        } else {
            EXPECT_TRUE(s.jobId.isEmpty()) << s.jobId.toStdString();
            EXPECT_GE(s.watts, 95.0);
            EXPECT_LE(s.watts, 105.0);
        }
    }
    ASSERT_TRUE(agent.terminate(10000));
    EXPECT_EQ(agent.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(agent.exitCode(), 0) << text(agent.readStderr());
    EXPECT_TRUE(test::waitUntil(
        [&] {
            return lastPayloadOn(m_sub.messages(), core::topics::status(QStringLiteral(
                                                       "greenpulse-host-agent-testhost"))) ==
                   "offline";
        },
        3000));
}

TEST_F(SimulatorsIntegration, HostAgentStartedMidJobKnowsTheJob)
{
    const test::ProcessResult started =
        job({QStringLiteral("start"), QStringLiteral("Long_Run"), QStringLiteral("--host"), kHost});
    ASSERT_EQ(started.exitCode, 0) << text(started.err);
    const QString id = QString::fromUtf8(started.out).trimmed();
    ASSERT_TRUE(core::jobid::isWellFormed(id)) << text(started.out);

    const QString agentBinary = test::binary(QStringLiteral("greenpulse-host-agent"));
    const test::ProcessResult here =
        test::run(agentBinary,
                  simulatedAgent({QStringLiteral("--host"), kHost, QStringLiteral("--count"),
                                  QStringLiteral("3"), QStringLiteral("--interval-ms"),
                                  QStringLiteral("100")}),
                  20000);
    ASSERT_EQ(here.exitCode, 0) << text(here.err);
    const QString otherHost = QStringLiteral("otherhost");
    const test::ProcessResult other =
        test::run(agentBinary,
                  simulatedAgent({QStringLiteral("--host"), otherHost, QStringLiteral("--count"),
                                  QStringLiteral("2"), QStringLiteral("--interval-ms"),
                                  QStringLiteral("100")}),
                  20000);
    ASSERT_EQ(other.exitCode, 0) << text(other.err);

    ASSERT_TRUE(test::waitUntil([&] { return power().size() >= 5; }, 5000));
    const QList<core::PowerSample> busy = power(kHost);
    ASSERT_EQ(busy.size(), 3);
    for (const core::PowerSample &s : busy) {
        EXPECT_EQ(s.jobId, id);
        EXPECT_GE(s.watts, 350.0);
        EXPECT_LE(s.watts, 500.0);
    }
    const QList<core::PowerSample> idle = power(otherHost);
    ASSERT_EQ(idle.size(), 2);
    for (const core::PowerSample &s : idle) {
        EXPECT_TRUE(s.jobId.isEmpty());
        EXPECT_LE(s.watts, 105.0);
    }
}

TEST_F(SimulatorsIntegration, RunPublishesStartAndEndWithTheExitCode)
{
    const test::ProcessResult r =
        job({QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("Script"),
             QStringLiteral("--host"), kHost, QStringLiteral("--"), QStringLiteral("sh"),
             QStringLiteral("-c"), QStringLiteral("echo hello from the job; exit 3")});
    EXPECT_EQ(r.exitCode, 3) << text(r.err);
    EXPECT_TRUE(r.out.contains("hello from the job")) << text(r.out);

    QList<ControlMessage> controls;
    ASSERT_TRUE(test::waitUntil(
        [&] { return (controls = controlsOf(m_sub.messages())).size() >= 2; }, 5000));
    ASSERT_EQ(controls.size(), 2);
    EXPECT_EQ(controls[0].status, JobStatus::Start);
    EXPECT_EQ(controls[1].status, JobStatus::End);
    EXPECT_EQ(controls[0].jobId, controls[1].jobId);
    EXPECT_TRUE(controls[0].jobId.startsWith(QStringLiteral("Script_")));
    EXPECT_EQ(controls[0].host, kHost);
    EXPECT_FALSE(controls[0].exitCode.has_value());
    EXPECT_EQ(controls[1].exitCode, std::optional<int>(3));
    EXPECT_LE(controls[0].timestampNs, controls[1].timestampNs);
    // The retained state was set, then cleared (the clear may reach the subscriber after the end).
    bool found = false;
    QByteArray state;
    test::waitUntil(
        [&] {
            state =
                lastPayloadOn(m_sub.messages(), core::topics::jobState(controls[0].jobId), &found);
            return found && state.isEmpty();
        },
        5000);
    EXPECT_TRUE(found);
    EXPECT_TRUE(state.isEmpty()) << text(state);
}

TEST(VisibleDevices, CudaVisibleDevicesReadAsCudaReadsIt)
{
    const auto devices = [](const char *value) {
        QProcessEnvironment env;
        if (value) {
            env.insert(QStringLiteral("CUDA_VISIBLE_DEVICES"), QLatin1String(value));
        }
        return sim::cudaVisibleDevices(env).join(QLatin1Char('|')).toStdString();
    };
    EXPECT_EQ(devices(nullptr), "");
    EXPECT_EQ(devices(""), "");
    EXPECT_EQ(devices("0,3"), "0|3");
    EXPECT_EQ(devices(" 2 , 1 "), "2|1");
    EXPECT_EQ(devices("GPU-8f1e2d3c-aaaa,MIG-1234"), "GPU-8f1e2d3c-aaaa|MIG-1234");
    // CUDA hides everything from the first entry it cannot read.
    EXPECT_EQ(devices("1,-1,2"), "1");
    EXPECT_EQ(devices("NoDevFiles"), "");
    EXPECT_EQ(devices("0,gpu1"), "0");
    EXPECT_EQ(devices("5000"), "");
}

TEST_F(SimulatorsIntegration, RunTakesTheGpusFromCudaVisibleDevices)
{
    const test::ProcessResult r = test::run(
        test::binary(QStringLiteral("greenpulse-job")),
        withBroker({QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("OnGpus"),
                    QStringLiteral("--host"), kHost, QStringLiteral("--"), QStringLiteral("true")}),
        30000, {QStringLiteral("CUDA_VISIBLE_DEVICES=0,GPU-00000000-0000-0000-0000-000000000003")});
    EXPECT_EQ(r.exitCode, 0) << text(r.err);
    QList<ControlMessage> controls;
    ASSERT_TRUE(test::waitUntil(
        [&] { return (controls = controlsOf(m_sub.messages())).size() >= 2; }, 5000));
    EXPECT_EQ(controls[0].status, JobStatus::Start);
    EXPECT_EQ(controls[0].host, kHost);
    EXPECT_EQ(controls[0].gpus,
              QStringList({QStringLiteral("0"),
                           QStringLiteral("GPU-00000000-0000-0000-0000-000000000003")}));
    // Without it, the start names no device (a job on the host as a whole).
    const test::ProcessResult plain = test::run(
        test::binary(QStringLiteral("greenpulse-job")),
        withBroker({QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("NoGpus"),
                    QStringLiteral("--host"), kHost, QStringLiteral("--"), QStringLiteral("true")}),
        30000, {QStringLiteral("CUDA_VISIBLE_DEVICES=")});
    EXPECT_EQ(plain.exitCode, 0) << text(plain.err);
    ASSERT_TRUE(test::waitUntil(
        [&] { return (controls = controlsOf(m_sub.messages())).size() >= 4; }, 5000));
    EXPECT_TRUE(controls[2].gpus.isEmpty());
}

TEST_F(SimulatorsIntegration, RunForwardsSigtermToTheCommand)
{
    test::Child runner;
    ASSERT_TRUE(runner.start(
        test::binary(QStringLiteral("greenpulse-job")),
        withBroker({QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("Sleeper"),
                    QStringLiteral("--"), QStringLiteral("sleep"), QStringLiteral("30")})));
    ASSERT_TRUE(test::waitUntil([&] { return !controlsOf(m_sub.messages()).isEmpty(); }, 10000));
    test::spin(200); // let sleep start
    QElapsedTimer timer;
    timer.start();
    ASSERT_TRUE(runner.terminate(10000));
    EXPECT_LT(timer.elapsed(), 8000);
    EXPECT_EQ(runner.exitCode(), 128 + SIGTERM) << text(runner.readStderr());
    QList<ControlMessage> controls;
    ASSERT_TRUE(test::waitUntil(
        [&] { return (controls = controlsOf(m_sub.messages())).size() >= 2; }, 5000));
    EXPECT_EQ(controls[1].status, JobStatus::End);
    EXPECT_EQ(controls[1].exitCode, std::optional<int>(128 + SIGTERM));
}

TEST_F(SimulatorsIntegration, StartFailsClearlyWhenTheBrokerIsUnreachable)
{
    const QString nowhere = QStringLiteral("tcp://127.0.0.1:%1").arg(test::freePort());
    QElapsedTimer timer;
    timer.start();
    const test::ProcessResult r =
        test::run(test::binary(QStringLiteral("greenpulse-job")),
                  {QStringLiteral("start"), QStringLiteral("Train"), QStringLiteral("--broker"),
                   nowhere, QStringLiteral("--timeout-s"), QStringLiteral("2")},
                  20000);
    EXPECT_EQ(r.exitCode, 1) << text(r.err);
    EXPECT_GE(timer.elapsed(), 1900);
    EXPECT_LT(timer.elapsed(), 10000);
    EXPECT_TRUE(r.out.trimmed().isEmpty()) << text(r.out);
    EXPECT_TRUE(r.err.contains("not acknowledged")) << text(r.err);
}

TEST_F(SimulatorsIntegration, DemoPlaysBothJobs)
{
    const test::ProcessResult r = job({QStringLiteral("demo")}, 60000);
    ASSERT_EQ(r.exitCode, 0) << text(r.err);
    EXPECT_TRUE(r.out.contains("[ 3/35 s] running Initial_Model_Train_")) << text(r.out);
    EXPECT_TRUE(r.out.contains("[12/35 s] idle")) << text(r.out);
    EXPECT_TRUE(r.out.contains("[20/35 s] running Hyperparameter_Tuning_")) << text(r.out);

    QList<ControlMessage> controls;
    ASSERT_TRUE(test::waitUntil(
        [&] { return (controls = controlsOf(m_sub.messages())).size() >= 4; }, 5000));
    ASSERT_EQ(controls.size(), 4);
    const QList<JobStatus> statuses{JobStatus::Start, JobStatus::End, JobStatus::Start,
                                    JobStatus::End};
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(controls[i].status, statuses[i]) << i;
        EXPECT_TRUE(controls[i].host.isEmpty()); // demo jobs run on every host
    }
    QString name;
    ASSERT_TRUE(core::jobid::split(controls[0].jobId, &name, nullptr, nullptr));
    EXPECT_EQ(name, QStringLiteral("Initial_Model_Train"));
    ASSERT_TRUE(core::jobid::split(controls[2].jobId, &name, nullptr, nullptr));
    EXPECT_EQ(name, QStringLiteral("Hyperparameter_Tuning"));
    EXPECT_EQ(controls[0].jobId, controls[1].jobId);
    EXPECT_EQ(controls[2].jobId, controls[3].jobId);
    auto seconds = [&](int from, int to) {
        return double(controls[to].timestampNs - controls[from].timestampNs) / 1e9;
    };
    EXPECT_NEAR(seconds(0, 1), 10.0, 0.5);
    EXPECT_NEAR(seconds(1, 2), 5.0, 0.5);
    EXPECT_NEAR(seconds(2, 3), 15.0, 0.5);
}

TEST(SimulatorsBrokerRestart, PublisherCarriesOnAndNothingIsLost)
{
    test::MosquittoBroker::Config config;
    config.persistence = true; // the subscriber's session and its queue survive the restart
    test::MosquittoBroker broker(config);
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    test::MosquittoSubscriber sub;
    ASSERT_TRUE(sub.start(
        broker.url(), QString::fromUtf8(core::topics::flowTempForHost(kHost)),
        {QStringLiteral("-c"), QStringLiteral("-i"), QStringLiteral("test-restart-subscriber")}));
    test::Child sim;
    ASSERT_TRUE(sim.start(test::binary(QStringLiteral("greenpulse-sensor-sim")),
                          {QStringLiteral("--broker"), broker.url(), QStringLiteral("--host"),
                           kHost, QStringLiteral("--interval-ms"), QStringLiteral("100")}));
    auto samples = [&] {
        return samplesOf<core::FlowTempSample>(sub.messages(), core::topics::kFlowTemp);
    };
    ASSERT_TRUE(test::waitUntil([&] { return samples().size() >= 5; }, 10000))
        << text(sim.readStderr());

    broker.stop();
    const TimeNs downAt = nowNs();
    test::spin(2000);
    const TimeNs upAt = nowNs();
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    ASSERT_TRUE(test::waitUntil(
        [&] {
            const auto all = samples();
            return !all.isEmpty() && all.last().timestampNs > upAt + kSecond;
        },
        20000))
        << text(sim.readStderr());
    ASSERT_TRUE(sim.terminate(10000));
    EXPECT_EQ(sim.exitCode(), 0);
    const QByteArray log = sim.readStderr();
    EXPECT_TRUE(log.contains("unreachable")) << text(log);

    QList<TimeNs> stamps;
    for (const auto &s : samples()) {
        stamps.append(s.timestampNs);
    }
    std::sort(stamps.begin(), stamps.end());
    stamps.erase(std::unique(stamps.begin(), stamps.end()), stamps.end());
    int duringOutage = 0;
    for (qsizetype i = 0; i < stamps.size(); ++i) {
        if (stamps[i] > downAt + 200'000'000 && stamps[i] < upAt - 200'000'000) {
            ++duringOutage;
        }
        if (i > 0) {
            EXPECT_LT(stamps[i] - stamps[i - 1], 600'000'000) << "a gap in the samples at " << i;
        }
    }
    EXPECT_GE(duringOutage, 10); // ~16 published while the broker was down, delivered later
}
