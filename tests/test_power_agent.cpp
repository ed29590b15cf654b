// greenpulse-host-agent measuring a machine: a sysfs tree the test builds (two sockets with DRAM,
// core/uncore sub-zones, psys, a counter that wraps, hwmon power and energy channels) and the
// stand-in libnvidia-ml.so the tests build (no GPU here: two devices, one without an energy
// counter, and a driver reload mid-run), against a real mosquitto.
#include "MosquittoBroker.h"
#include "PowerTestSupport.h"
#include "TestSupport.h"
#include "accounting/Ledger.h"
#include "protocol/Protocol.h"

#include <QDateTime>
#include <gtest/gtest.h>

using namespace greenpulse;
using core::TimeNs;
using test::FakeNvml;
using test::FakeSysfs;

namespace {

constexpr TimeNs kMs = 1'000'000;
constexpr quint64 kRange = FakeSysfs::kRangeUj;
const QString kHost = QStringLiteral("powerhost");

TimeNs nowNs()
{
    return QDateTime::currentMSecsSinceEpoch() * kMs;
}

std::string text(const QByteArray &bytes)
{
    return bytes.toStdString();
}

// What the tree and the stand-in say at one moment.
struct Hardware
{
    quint64 package0Uj = kRange - 50'000'000; // wraps on the third step
    quint64 package1Uj = 7'000'000;
    quint64 dram0Uj = 1'000'000;
    quint64 dram1Uj = 2'000'000;
    quint64 coreUj = 100; // inside package-0: never added
    quint64 psysUj = 100; // the platform: never added
    quint64 amdgpuUw = 41'000'000;
    quint64 boardUj = 3'000'000;
    quint64 gpu0Mj = 9'000'000;
    quint64 gpu0Mw = 280'000;
    quint64 gpu1Mw = 65'000; // no energy counter
    int driverLoads = 1;

    void writeTo(FakeSysfs &tree, FakeNvml &nvml) const
    {
        tree.setRaplEnergy(QStringLiteral("intel-rapl:1"), package0Uj);
        tree.setRaplEnergy(QStringLiteral("intel-rapl:0"), package1Uj);
        tree.setRaplEnergy(QStringLiteral("intel-rapl:1:0"), dram0Uj);
        tree.setRaplEnergy(QStringLiteral("intel-rapl:0:0"), dram1Uj);
        tree.setRaplEnergy(QStringLiteral("intel-rapl:1:1"), coreUj);
        tree.setRaplEnergy(QStringLiteral("intel-rapl:2"), psysUj);
        tree.setHwmon(QStringLiteral("hwmon0"), QStringLiteral("power1_average"),
                      QByteArray::number(amdgpuUw));
        tree.setHwmon(QStringLiteral("hwmon1"), QStringLiteral("energy1_input"),
                      QByteArray::number(boardUj));
        nvml.setDevices({{gpu0Mj, gpu0Mw, 0}, {std::nullopt, gpu1Mw, 0}});
    }

    Hardware next(int step) const
    {
        Hardware h = *this;
        h.package0Uj = (package0Uj + 30'000'000 + quint64(step) * 1'000'000) % kRange;
        h.package1Uj += 27'000'000;
        h.dram0Uj += 3'000'000;
        h.dram1Uj += 3'300'000 + quint64(step) * 10'000;
        h.coreUj += 20'000'000;
        h.psysUj += 99'000'000;
        h.amdgpuUw = 40'000'000 + quint64(step) * 3'000'000;
        h.boardUj += 1'500'000;
        h.gpu0Mj += 90'000 + quint64(step) * 1'000;
        h.gpu0Mw = 290'000 + quint64(step) * 1'000;
        h.gpu1Mw = 60'000 + quint64(step) * 2'000;
        if (step == 4) { // the NVIDIA driver is reloaded: its counter starts again
            h.gpu0Mj = 5'000;
            ++h.driverLoads;
        }
        return h;
    }

    static double counter(quint64 from, quint64 to, quint64 range = 0)
    {
        return double(to >= from ? to - from : range - from + to);
    }

    // The average power over (`before`, this] that the agent must publish.
    double wattsSince(const Hardware &before, double seconds) const
    {
        const double rapl =
            (counter(before.package0Uj, package0Uj, kRange) +
             counter(before.package1Uj, package1Uj, kRange) +
             counter(before.dram0Uj, dram0Uj, kRange) + counter(before.dram1Uj, dram1Uj, kRange)) *
            1e-6 / seconds;
        const double hwmon =
            double(amdgpuUw) * 1e-6 + counter(before.boardUj, boardUj) * 1e-6 / seconds;
        // A counter that started again: the interval takes the power reading.
        const double gpu0 = driverLoads != before.driverLoads
                                ? double(gpu0Mw) * 1e-3
                                : counter(before.gpu0Mj, gpu0Mj) * 1e-3 / seconds;
        return rapl + hwmon + gpu0 + double(gpu1Mw) * 1e-3;
    }
};

void buildTree(FakeSysfs &tree)
{
    tree.addRaplZone(QStringLiteral("intel-rapl:0"), QStringLiteral("package-1"), 0);
    tree.addRaplZone(QStringLiteral("intel-rapl:0:0"), QStringLiteral("dram"), 0);
    tree.addRaplZone(QStringLiteral("intel-rapl:1"), QStringLiteral("package-0"), 0);
    tree.addRaplZone(QStringLiteral("intel-rapl:1:0"), QStringLiteral("dram"), 0);
    tree.addRaplZone(QStringLiteral("intel-rapl:1:1"), QStringLiteral("core"), 0);
    tree.addRaplZone(QStringLiteral("intel-rapl:2"), QStringLiteral("psys"), 0);
    tree.setHwmon(QStringLiteral("hwmon0"), QStringLiteral("name"), "amdgpu");
    tree.setHwmon(QStringLiteral("hwmon1"), QStringLiteral("name"), "board");
}

class PowerAgent : public ::testing::Test
{
protected:
    void SetUp() override
    {
        buildTree(m_tree);
        m_hardware.writeTo(m_tree, m_nvml);
    }

    QStringList sourceArgs(const QString &source) const
    {
        return {QStringLiteral("--source"),       source,
                QStringLiteral("--sysfs-root"),   m_tree.root(),
                QStringLiteral("--nvml-library"), FakeNvml::library()};
    }

    FakeSysfs m_tree;
    FakeNvml m_nvml;
    Hardware m_hardware;
};

} // namespace

TEST_F(PowerAgent, ListSourcesSaysWhatItFound)
{
    const test::ProcessResult r =
        test::run(test::binary(QStringLiteral("greenpulse-host-agent")),
                  sourceArgs(QStringLiteral("auto")) << QStringLiteral("--list-sources"), 20000,
                  {m_nvml.environment()});
    ASSERT_EQ(r.exitCode, 0) << text(r.err);
    const QString out = QString::fromUtf8(r.out);
    for (const char *expected :
         {"rapl: usable (package-1, dram-1, package-0, dram-0)",
          "intel-rapl:1:1 core: inside package-0, not summed",
          "intel-rapl:2 psys: the whole platform, never added to the other zones",
          "hwmon: usable (amdgpu:power1, board:energy1)",
          "hwmon0 amdgpu power1_average as amdgpu:power1: power readings",
          "nvml: usable (gpu0, gpu1)",
          "gpu1 Stand-in GPU 1 GPU-00000000-0000-0000-0000-000000000001: no energy counter",
          "--source auto would use: rapl,hwmon,nvml"}) {
        EXPECT_TRUE(out.contains(QLatin1String(expected))) << expected << "\n" << text(r.out);
    }
}

TEST_F(PowerAgent, NothingFoundFallsBackToSimWithAWarning)
{
    FakeSysfs empty;
    const QString agent = test::binary(QStringLiteral("greenpulse-host-agent"));
    const QStringList where{QStringLiteral("--sysfs-root"), empty.root(),
                            QStringLiteral("--nvml-library"),
                            QStringLiteral("/nonexistent/libnvidia-ml.so.1")};
    test::ProcessResult r = test::run(agent, where + QStringList{QStringLiteral("--list-sources")});
    ASSERT_EQ(r.exitCode, 0) << text(r.err);
    EXPECT_TRUE(r.out.contains("rapl: not usable\n  no powercap RAPL zones")) << text(r.out);
    EXPECT_TRUE(r.out.contains("--source auto would use: sim")) << text(r.out);

    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    test::MosquittoSubscriber sub;
    ASSERT_TRUE(sub.start(broker.url()));
    r = test::run(agent,
                  where + QStringList{QStringLiteral("--source"), QStringLiteral("auto"),
                                      QStringLiteral("--broker"), broker.url(),
                                      QStringLiteral("--host"), kHost, QStringLiteral("--count"),
                                      QStringLiteral("2"), QStringLiteral("--interval-ms"),
                                      QStringLiteral("100")},
                  20000);
    ASSERT_EQ(r.exitCode, 0) << text(r.err);
    EXPECT_TRUE(r.err.contains("no real power source found: the power is SIMULATED"))
        << text(r.err);
    EXPECT_TRUE(test::waitUntil([&] { return sub.messages().size() >= 2; }, 5000));

    // Asked for explicitly, a source that is not there stops the agent.
    r = test::run(agent, where + QStringList{QStringLiteral("--source"), QStringLiteral("nvml")});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains("power source nvml cannot be used")) << text(r.err);
}

// Without --source the agent measures (auto): an operator pointing it at a server gets that
// server's power, and the simulation only where nothing is found, with the warning.
TEST_F(PowerAgent, TheDefaultSourceIsAuto)
{
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    test::MosquittoSubscriber sub;
    ASSERT_TRUE(sub.start(broker.url()));
    const auto sources = [&] {
        QStringList seen;
        for (const auto &[topic, payload] : sub.messages()) {
            const core::Decoded d = core::decode(topic, payload, nowNs());
            if (const auto *s = std::get_if<core::PowerSample>(&d)) {
                seen << s->host + QLatin1Char('=') + s->source +
                            (s->energyJ ? QStringLiteral(" counter") : QString());
            }
        }
        return seen;
    };
    const QString agent = test::binary(QStringLiteral("greenpulse-host-agent"));
    const QStringList common{QStringLiteral("--broker"),      broker.url(),
                             QStringLiteral("--count"),       QStringLiteral("2"),
                             QStringLiteral("--interval-ms"), QStringLiteral("100"),
                             QStringLiteral("--config"),      QStringLiteral("/dev/null")};
    test::ProcessResult r =
        test::run(agent,
                  common + QStringList{QStringLiteral("--host"), QStringLiteral("measured"),
                                       QStringLiteral("--sysfs-root"), m_tree.root(),
                                       QStringLiteral("--nvml-library"), FakeNvml::library()},
                  20000, {m_nvml.environment()});
    ASSERT_EQ(r.exitCode, 0) << text(r.err);
    EXPECT_FALSE(r.err.contains("SIMULATED")) << text(r.err);

    FakeSysfs empty;
    r = test::run(agent,
                  common + QStringList{QStringLiteral("--host"), QStringLiteral("bare"),
                                       QStringLiteral("--sysfs-root"), empty.root(),
                                       QStringLiteral("--nvml-library"),
                                       QStringLiteral("/nonexistent/libnvidia-ml.so.1")},
                  20000);
    ASSERT_EQ(r.exitCode, 0) << text(r.err);
    EXPECT_TRUE(r.err.contains("no real power source found: the power is SIMULATED"))
        << text(r.err);

    // One line per sample, in order: readable when it fails.
    const auto seen = [&] { return sources().join(QLatin1Char('\n')).toStdString(); };
    ASSERT_TRUE(test::waitUntil([&] { return sources().size() >= 4; }, 5000)) << seen();
    EXPECT_EQ(seen(), "measured=rapl,hwmon,nvml counter\nmeasured=rapl,hwmon,nvml counter\n"
                      "bare=sim\nbare=sim");
}

TEST_F(PowerAgent, PublishesWhatTheTreeAndTheStandInSay)
{
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    test::MosquittoSubscriber sub;
    ASSERT_TRUE(sub.start(broker.url()));
    const auto power = [&] {
        QList<core::PowerSample> samples;
        for (const auto &[topic, payload] : sub.messages()) {
            if (core::classifyTopic(topic) == core::TopicKind::Power) {
                const core::Decoded d = core::decode(topic, payload, nowNs());
                if (const auto *s = std::get_if<core::PowerSample>(&d)) {
                    samples << *s;
                }
            }
        }
        return samples;
    };
    constexpr int kIntervalMs = 300;
    test::Child agent;
    ASSERT_TRUE(agent.start(
        test::binary(QStringLiteral("greenpulse-host-agent")),
        sourceArgs(QStringLiteral("auto")) +
            QStringList{QStringLiteral("--broker"), broker.url(), QStringLiteral("--host"), kHost,
                        QStringLiteral("--interval-ms"), QString::number(kIntervalMs)},
        {m_nvml.environment()}));
    ASSERT_TRUE(test::waitUntil([&] { return power().size() >= 1; }, 15000))
        << text(agent.readStderr());

    // Change the hardware halfway between two readings, so each reading sees one known state.
    QList<QPair<TimeNs, Hardware>> history{{0, m_hardware}};
    Hardware hardware = m_hardware;
    for (int step = 1; step <= 7;) {
        const QList<core::PowerSample> seen = power();
        const TimeNs due = seen.last().timestampNs + kIntervalMs / 2 * kMs;
        test::waitUntil([&] { return nowNs() >= due; }, kIntervalMs);
        if (nowNs() < due + kIntervalMs / 3 * kMs) { // else too late: wait for the next reading
            hardware = hardware.next(step++);
            hardware.writeTo(m_tree, m_nvml);
            history.append({nowNs(), hardware});
        }
        ASSERT_TRUE(test::waitUntil([&] { return power().size() > seen.size(); }, 10000));
    }
    const TimeNs lastChange = history.last().first;
    ASSERT_TRUE(test::waitUntil(
        [&] {
            const QList<core::PowerSample> s = power();
            return s.size() >= 2 && s[s.size() - 2].timestampNs > lastChange;
        },
        10000));
    ASSERT_TRUE(agent.terminate());

    const auto stateAt = [&](TimeNs t) {
        Hardware h = history.first().second;
        for (const auto &[changedNs, state] : history) {
            if (changedNs < t) {
                h = state;
            }
        }
        return h;
    };
    const QList<core::PowerSample> samples = power();
    bool sawWrap = false;
    bool sawReload = false;
    for (qsizetype k = 0; k < samples.size(); ++k) {
        const core::PowerSample &s = samples[k];
        ASSERT_EQ(s.seq, std::optional<quint64>(quint64(k + 1))); // none lost: each interval known
        EXPECT_EQ(s.host, kHost);
        // The first interval starts when the agent started, before any change: its counters
        // moved by nothing, whatever its length.
        const Hardware before =
            k == 0 ? history.first().second : stateAt(samples[k - 1].timestampNs);
        const double seconds =
            k == 0 ? 1.0 : double(s.timestampNs - samples[k - 1].timestampNs) * 1e-9;
        const Hardware after = stateAt(s.timestampNs);
        sawWrap = sawWrap || after.package0Uj < before.package0Uj;
        sawReload = sawReload || after.driverLoads != before.driverLoads;
        const double expected = after.wattsSince(before, seconds);
        EXPECT_NEAR(s.watts, expected, expected * 1e-3) << "sample " << k + 1;
    }
    EXPECT_TRUE(sawWrap);
    EXPECT_TRUE(sawReload);
    EXPECT_GE(samples.size(), 9);
    EXPECT_TRUE(agent.readStderr().contains("publishing the power of powerhost"));

    // The energy counter on the wire: monotonic under one id (a new id when the meter starts
    // its counter again, as at the driver reload), its differences the published watts over each
    // interval, and the components adding up to the whole.
    int idChanges = 0;
    for (qsizetype k = 0; k < samples.size(); ++k) {
        const core::PowerSample &s = samples[k];
        ASSERT_TRUE(s.energyJ.has_value()) << "sample " << k + 1;
        EXPECT_FALSE(s.counterId.isEmpty());
        EXPECT_TRUE(s.source.contains(QLatin1String("rapl")) &&
                    s.source.contains(QLatin1String("nvml")))
            << s.source.toStdString();
        double componentWatts = 0;
        for (const core::PowerComponent &c : s.components) {
            componentWatts += c.watts;
        }
        EXPECT_NEAR(componentWatts, s.watts, s.watts * 1e-9);
        if (k > 0 && s.counterId != samples[k - 1].counterId) {
            ++idChanges;
        } else if (k > 0) {
            const double seconds = double(s.timestampNs - samples[k - 1].timestampNs) * 1e-9;
            EXPECT_NEAR(*s.energyJ - *samples[k - 1].energyJ, s.watts * seconds,
                        s.watts * seconds * 1e-3)
                << "sample " << k + 1;
        }
    }
    EXPECT_LE(idChanges, 1); // the one driver reload at most
    // A job started and ended around it gets exactly the counter differences (the trapezoid
    // only across a change of id): docs/accounting.md, "Energy counters".
    core::ManualClock clock{samples.last().timestampNs};
    core::Ledger ledger{core::LedgerConfig{}, clock};
    const qsizetype first = 2;
    const qsizetype last = samples.size() - 2;
    core::ControlMessage start;
    start.jobId = QStringLiteral("around");
    start.timestampNs = samples[first].timestampNs;
    core::ControlMessage end = start;
    end.status = core::JobStatus::End;
    end.timestampNs = samples[last].timestampNs;
    ledger.applyControl(start);
    ledger.applyControl(end);
    for (const core::PowerSample &s : samples) {
        ASSERT_EQ(ledger.addPower(s), core::Ledger::Result::Accepted);
    }
    double joules = 0;
    for (qsizetype k = first + 1; k <= last; ++k) {
        const core::PowerSample &a = samples[k - 1];
        const core::PowerSample &b = samples[k];
        joules += a.counterId == b.counterId
                      ? *b.energyJ - *a.energyJ
                      : (a.watts + b.watts) * 0.5 * double(b.timestampNs - a.timestampNs) * 1e-9;
    }
    const auto job = ledger.job(QStringLiteral("around"));
    ASSERT_TRUE(job.has_value());
    EXPECT_NEAR(job->kwh * 3.6e6, joules, joules * 1e-9);
    EXPECT_EQ(ledger.counters().counterIntervals, quint64(samples.size() - 1 - idChanges));
    EXPECT_EQ(ledger.counters().counterRestarts, quint64(idChanges));
}
