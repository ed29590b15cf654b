// Two jobs sharing a host with different GPUs, end to end: a real mosquitto, the real
// greenpulse-processor, greenpulse-host-agent measuring a sysfs tree the test builds and the
// stand-in libnvidia-ml.so the tests build (no GPU here: three stand-in devices), and two
// `greenpulse-job run` whose CUDA_VISIBLE_DEVICES name their GPU, one by index and one by id.
// Each job must get exactly its GPU's energy plus its share of the rest (docs/accounting.md,
// "GPUs a job holds"), read from the processor's summary.
#include "MosquittoBroker.h"
#include "PowerTestSupport.h"
#include "Samples.h"
#include "TestSupport.h"
#include "protocol/Protocol.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <algorithm>
#include <csignal>
#include <gtest/gtest.h>
#include <map>

using namespace greenpulse;
using core::TimeNs;
using test::FakeNvml;
using test::FakeSysfs;

namespace {

const QString kHost = QStringLiteral("gpuhost");
const QString kGpu1Id = QStringLiteral("GPU-00000000-0000-0000-0000-000000000001"); // stand-in's

std::string text(const QByteArray &bytes)
{
    return bytes.toStdString();
}

// The machine: a CPU package and its DRAM (RAPL), three stand-in GPUs with energy counters, each
// drawing a steady power that the test turns into counters as real time passes.
class Machine
{
public:
    Machine()
    {
        m_tree.addRaplZone(QStringLiteral("intel-rapl:0"), QStringLiteral("package-0"), 0);
        m_tree.addRaplZone(QStringLiteral("intel-rapl:0:0"), QStringLiteral("dram"), 0);
        m_clock.start();
        write();
    }
    // Advances every counter to now.
    void tick()
    {
        const double seconds = double(m_clock.nsecsElapsed()) * 1e-9;
        m_clock.restart();
        m_packageJ += 120 * seconds;
        m_dramJ += 20 * seconds;
        for (int g = 0; g < 3; ++g) {
            m_gpuJ[g] += kGpuWatts[g] * seconds;
        }
        write();
    }
    // Spins the event loop for `ms`, ticking every 50 ms.
    void runFor(int ms)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < ms) {
            test::spin(50);
            tick();
        }
    }
    QStringList agentArgs(const QString &brokerUrl) const
    {
        return {QStringLiteral("--source"),       QStringLiteral("auto"),
                QStringLiteral("--sysfs-root"),   m_tree.root(),
                QStringLiteral("--nvml-library"), FakeNvml::library(),
                QStringLiteral("--broker"),       brokerUrl,
                QStringLiteral("--host"),         kHost,
                QStringLiteral("--interval-ms"),  QStringLiteral("200")};
    }
    QString nvmlEnvironment() const { return m_nvml.environment(); }

    static constexpr double kGpuWatts[3] = {300, 150, 50};

private:
    void write()
    {
        m_tree.setRaplEnergy(QStringLiteral("intel-rapl:0"), quint64(m_packageJ * 1e6));
        m_tree.setRaplEnergy(QStringLiteral("intel-rapl:0:0"), quint64(m_dramJ * 1e6));
        QList<FakeNvml::Device> devices;
        for (int g = 0; g < 3; ++g) {
            devices.append({quint64(m_gpuJ[g] * 1e3), quint64(kGpuWatts[g] * 1e3), 0});
        }
        m_nvml.setDevices(devices);
    }

    FakeSysfs m_tree;
    FakeNvml m_nvml;
    QElapsedTimer m_clock;
    double m_packageJ = 1000;
    double m_dramJ = 500;
    double m_gpuJ[3] = {9000, 8000, 7000};
};

struct Span
{
    TimeNs start = 0;
    TimeNs end = 0;
    bool runsAt(TimeNs t) const { return start <= t && t < end; }
};

const core::PowerComponent *part(const core::PowerSample &s, const QString &name)
{
    for (const core::PowerComponent &c : s.components) {
        if (c.name == name) {
            return &c;
        }
    }
    return nullptr;
}

// The rule, computed here from what the agent published: per piece of each interval, A gets
// gpu0's energy, B gpu1's, and both share the rest of the host's energy while they run (with
// `byGpu` false: the equal split of jobs that hold no device).
std::pair<double, double> expectedJoules(const QList<core::PowerSample> &samples, Span a, Span b,
                                         bool byGpu = true)
{
    double ja = 0;
    double jb = 0;
    for (qsizetype k = 1; k < samples.size(); ++k) {
        const core::PowerSample &s0 = samples[k - 1];
        const core::PowerSample &s1 = samples[k];
        EXPECT_EQ(s0.counterId, s1.counterId) << "no counter restart in this test";
        const double host = *s1.energyJ - *s0.energyJ;
        double gpu0 =
            *part(s1, QStringLiteral("gpu0"))->energyJ - *part(s0, QStringLiteral("gpu0"))->energyJ;
        double gpu1 =
            *part(s1, QStringLiteral("gpu1"))->energyJ - *part(s0, QStringLiteral("gpu1"))->energyJ;
        if (!byGpu) {
            gpu0 = gpu1 = 0;
        }
        std::vector<TimeNs> cuts{s0.timestampNs, s1.timestampNs};
        for (TimeNs t : {a.start, a.end, b.start, b.end}) {
            if (t > s0.timestampNs && t < s1.timestampNs) {
                cuts.push_back(t);
            }
        }
        std::sort(cuts.begin(), cuts.end());
        for (size_t i = 0; i + 1 < cuts.size(); ++i) {
            const TimeNs mid = cuts[i] + (cuts[i + 1] - cuts[i]) / 2;
            const double f =
                double(cuts[i + 1] - cuts[i]) / double(s1.timestampNs - s0.timestampNs);
            const bool runsA = a.runsAt(mid);
            const bool runsB = b.runsAt(mid);
            if (!runsA && !runsB) {
                continue; // idle's
            }
            const double gpus = (runsA ? gpu0 : 0) + (runsB ? gpu1 : 0);
            const double rest = (host - gpus) * f / ((runsA ? 1 : 0) + (runsB ? 1 : 0));
            ja += runsA ? gpu0 * f + rest : 0;
            jb += runsB ? gpu1 * f + rest : 0;
        }
    }
    return {ja, jb};
}

} // namespace

TEST(PowerJobs, TwoJobsOnOneHostEachGetTheirGpuPlusAShareOfTheRest)
{
    Machine machine;
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    test::MosquittoSubscriber sub;
    ASSERT_TRUE(sub.start(broker.url()));
    QTemporaryDir dir;
    test::Child processor;
    ASSERT_TRUE(
        processor.start(test::binary(QStringLiteral("greenpulse-processor")),
                        {QStringLiteral("--broker"), broker.url(), QStringLiteral("--state-file"),
                         dir.filePath(QStringLiteral("l.json")), QStringLiteral("--config"),
                         QStringLiteral("/dev/null")}));
    ASSERT_TRUE(
        test::waitUntil([&] { return processor.readStderr().contains("MQTT connected"); }, 15000))
        << text(processor.readStderr());

    test::Child agent;
    ASSERT_TRUE(agent.start(test::binary(QStringLiteral("greenpulse-host-agent")),
                            machine.agentArgs(broker.url()), {machine.nvmlEnvironment()}));
    const auto power = [&] {
        QList<core::PowerSample> samples;
        for (const auto &[topic, payload] : sub.messages()) {
            if (core::classifyTopic(topic) == core::TopicKind::Power) {
                const core::Decoded d = core::decode(topic, payload, test::nowNs());
                if (const auto *s = std::get_if<core::PowerSample>(&d)) {
                    samples << *s;
                }
            }
        }
        return samples;
    };
    QElapsedTimer waited;
    waited.start();
    while (power().size() < 3 && waited.elapsed() < 15000) {
        machine.runFor(100);
    }
    ASSERT_GE(power().size(), 3) << text(agent.readStderr());

    // A holds GPU 0 (by index), B GPU 1 (by the id NVML gives it); they overlap for about 1 s.
    const auto runJob = [&](test::Child &child, const char *name, const QString &devices) {
        return child.start(test::binary(QStringLiteral("greenpulse-job")),
                           {QStringLiteral("--broker"), broker.url(), QStringLiteral("run"),
                            QStringLiteral("--name"), QLatin1String(name), QStringLiteral("--host"),
                            kHost, QStringLiteral("--"), QStringLiteral("sleep"),
                            QStringLiteral("1.6")},
                           {QStringLiteral("CUDA_VISIBLE_DEVICES=") + devices});
    };
    test::Child jobA;
    test::Child jobB;
    ASSERT_TRUE(runJob(jobA, "GpuA", QStringLiteral("0")));
    machine.runFor(700);
    ASSERT_TRUE(runJob(jobB, "GpuB", kGpu1Id));
    waited.restart();
    while ((jobA.isRunning() || jobB.isRunning()) && waited.elapsed() < 20000) {
        machine.runFor(100);
    }
    ASSERT_TRUE(jobA.waitForExit(1000) && jobB.waitForExit(1000));
    EXPECT_EQ(jobA.exitCode(), 0) << text(jobA.readStderr());
    EXPECT_EQ(jobB.exitCode(), 0) << text(jobB.readStderr());
    machine.runFor(800); // a few samples after both ended
    ASSERT_TRUE(agent.terminate());
    // Let the processor take everything the broker has for it: its received count settles.
    qint64 last = -1;
    for (int i = 0; i < 40; ++i) {
        ::kill(static_cast<pid_t>(processor.pid()), SIGHUP);
        test::spin(400);
        const QByteArray err = processor.readStderr();
        const qsizetype at = err.lastIndexOf("\"received\":");
        const qint64 received = at < 0 ? -2 : err.mid(at + 11, 20).split(',').first().toLongLong();
        if (received == last) {
            break;
        }
        last = received;
    }
    ASSERT_TRUE(processor.terminate(20000));
    const QJsonObject out = QJsonDocument::fromJson(processor.readStdout()).object();

    // The spans and the devices, from the control messages on the wire.
    std::map<QString, Span> spans;
    std::map<QString, QStringList> gpus;
    for (const auto &[topic, payload] : sub.messages()) {
        if (!topic.startsWith("greenpulse/control")) {
            continue;
        }
        const core::Decoded d = core::decode(topic, payload, test::nowNs());
        if (const auto *m = std::get_if<core::ControlMessage>(&d)) {
            const QString name = m->jobId.section(QLatin1Char('_'), 0, 0);
            if (m->status == core::JobStatus::Start) {
                spans[name].start = m->timestampNs;
                gpus[name] = m->gpus;
            } else {
                spans[name].end = m->timestampNs;
            }
        }
    }
    ASSERT_EQ(gpus[QStringLiteral("GpuA")], QStringList{QStringLiteral("0")});
    ASSERT_EQ(gpus[QStringLiteral("GpuB")], QStringList{kGpu1Id});
    const QList<core::PowerSample> samples = power();
    for (const core::PowerSample &s : samples) {
        ASSERT_TRUE(part(s, QStringLiteral("gpu1")) &&
                    part(s, QStringLiteral("gpu1"))->uuid == kGpu1Id)
            << "the agent sends each GPU's id";
    }
    const auto [expectA, expectB] =
        expectedJoules(samples, spans[QStringLiteral("GpuA")], spans[QStringLiteral("GpuB")]);

    std::map<QString, double> joules;
    for (const QJsonValue &v : out.value(QLatin1String("jobs")).toArray()) {
        const QString id = v[QLatin1String("job_id")].toString();
        joules[id.section(QLatin1Char('_'), 0, 0)] = v[QLatin1String("kwh")].toDouble() * 3.6e6;
    }
    ASSERT_GT(expectA, 0);
    ASSERT_GT(expectB, 0);
    EXPECT_NEAR(joules[QStringLiteral("GpuA")], expectA, expectA * 1e-6)
        << QJsonDocument(out).toJson().toStdString();
    EXPECT_NEAR(joules[QStringLiteral("GpuB")], expectB, expectB * 1e-6);
    // An equal split while both ran would have given A about 0.9 s x (395 - 320 W) less: the
    // rule made the difference.
    const auto [equalA, equalB] = expectedJoules(samples, spans[QStringLiteral("GpuA")],
                                                 spans[QStringLiteral("GpuB")], false);
    EXPECT_GT(joules[QStringLiteral("GpuA")] - equalA, 20.0);
    EXPECT_LT(joules[QStringLiteral("GpuB")] - equalB, -20.0);
    EXPECT_EQ(
        out[QLatin1String("counters")][QLatin1String("ledger")][QLatin1String("gpu_energy_clamped")]
            .toInt(),
        0);
}
