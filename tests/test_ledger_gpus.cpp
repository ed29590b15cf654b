// GPUs a job holds (docs/accounting.md, "GPUs a job holds"): with a per-component breakdown on
// both ends of a host's interval, each GPU's energy goes to the jobs holding it and the rest is
// shared by every job running then. Hand examples to the joule and generated streams for the
// invariant (every job plus idle = the host's energy), on the pure Ledger with a fake clock.
#include "LedgerTestSupport.h"
#include "accounting/Ledger.h"

#include <QRandomGenerator>
#include <gtest/gtest.h>
#include <map>
#include <memory>

using namespace greenpulse::core;
using namespace greenpulse::test;
using namespace greenpulse::test::ledger;

namespace {

constexpr double kJoulesPerKwh = 3.6e6;
const QString kHost = QStringLiteral("node-1");

QString uuidOf(int gpu)
{
    return QStringLiteral("GPU-%1-0000-0000-0000-000000000000").arg(QString(8, QChar(u'a' + gpu)));
}

// A power sample with a breakdown: `parts` are (name, watts, counter or -1 for none).
struct Part
{
    Part(QString n, double w, double j = -1) : name(std::move(n)), watts(w), joules(j) {}
    Part(const char *n, double w, double j = -1) : Part(QLatin1String(n), w, j) {}
    QString name;
    double watts = 0;
    double joules = -1;
};
PowerSample sampleAt(double seconds, double watts, const std::vector<Part> &parts,
                     std::optional<double> energyJ = std::nullopt, quint64 seq = 0)
{
    PowerSample s = power(kHost, seconds, watts);
    if (seq > 0) {
        s.seq = seq;
    }
    if (energyJ) {
        s.energyJ = energyJ;
        s.counterId = QStringLiteral("boot-1");
    }
    for (const Part &p : parts) {
        PowerComponent c;
        c.name = p.name;
        c.watts = p.watts;
        if (p.joules >= 0) {
            c.energyJ = p.joules;
            s.counterId = QStringLiteral("boot-1");
        }
        if (p.name.startsWith(QLatin1String("gpu"))) {
            c.uuid = uuidOf(p.name.mid(3).toInt());
        }
        s.components.push_back(c);
    }
    return s;
}

ControlMessage startWith(const QString &job, double seconds, const QStringList &gpus,
                         const QString &host = kHost)
{
    ControlMessage m = control(JobStatus::Start, job, seconds, host);
    m.gpus = gpus;
    return m;
}

double joulesOf(const Ledger &ledger, const QString &job)
{
    const auto j = ledger.job(job);
    EXPECT_TRUE(j.has_value()) << job.toStdString();
    return j ? j->kwh * kJoulesPerKwh : 0.0;
}

double allJoules(const Ledger &ledger)
{
    double sum = 0;
    for (const JobSummary &j : ledger.jobs()) {
        sum += j.kwh * kJoulesPerKwh;
    }
    return sum;
}

// Two jobs on one host with different GPUs, counters on every part: per 10 s interval the host
// draws 5,000 J; gpu0 (A's) 2,000 J then 3,000 J, gpu1 (B's) 1,000 J then 0, gpu2 (nobody's)
// 500 J each, the CPU package 1,500 J each.
void feedTwoJobsWithCounters(Ledger &ledger, Ledger *restoredAt10 = nullptr)
{
    ledger.applyControl(startWith(QStringLiteral("A"), -1, {QStringLiteral("0")}));
    ledger.applyControl(startWith(QStringLiteral("B"), -1, {QStringLiteral("1")}));
    const auto sample = [](double t, double host, double g0, double g1, double g2, double pkg) {
        return sampleAt(t, 0,
                        {{"gpu0", 0, g0}, {"gpu1", 0, g1}, {"gpu2", 0, g2}, {"package-0", 0, pkg}},
                        host, static_cast<quint64>(t) + 1);
    };
    ASSERT_EQ(ledger.addPower(sample(0, 1e6, 1e5, 2e5, 3e5, 4e5)), Ledger::Result::Accepted);
    ASSERT_EQ(
        ledger.addPower(sample(10, 1e6 + 5000, 1e5 + 2000, 2e5 + 1000, 3e5 + 500, 4e5 + 1500)),
        Ledger::Result::Accepted);
    Ledger *next = &ledger;
    if (restoredAt10) {
        QString error;
        ASSERT_TRUE(restoredAt10->restore(ledger.toJson(), &error)) << error.toStdString();
        next = restoredAt10;
    }
    ASSERT_EQ(
        next->addPower(sample(20, 1e6 + 10000, 1e5 + 5000, 2e5 + 1000, 3e5 + 1000, 4e5 + 3000)),
        Ledger::Result::Accepted);
}

} // namespace

TEST(LedgerGpus, TwoJobsWithDifferentGpusGetTheirGpusPlusAShareOfTheRest)
{
    ManualClock clock{at(0)};
    Ledger ledger{LedgerConfig{}, clock};
    feedTwoJobsWithCounters(ledger);
    // A: gpu0's 2,000 + 3,000 J, plus half of the rest (5,000 - 3,000 J in each interval).
    expectRelative(joulesOf(ledger, QStringLiteral("A")), 5000.0 + 1000.0 + 1000.0);
    // B: gpu1's 1,000 J, plus the same half of the rest.
    expectRelative(joulesOf(ledger, QStringLiteral("B")), 1000.0 + 1000.0 + 1000.0);
    expectRelative(allJoules(ledger), 10000.0);
    EXPECT_EQ(ledger.counters().gpuEnergyClamped, 0u);
}

TEST(LedgerGpus, ARestartMidJobKeepsTheSplit)
{
    ManualClock clock{at(0)};
    Ledger first{LedgerConfig{}, clock};
    Ledger restored{LedgerConfig{}, clock};
    feedTwoJobsWithCounters(first, &restored);
    expectRelative(joulesOf(restored, QStringLiteral("A")), 7000.0);
    expectRelative(joulesOf(restored, QStringLiteral("B")), 3000.0);
}

TEST(LedgerGpus, AGpuSharedByTwoJobsIsSplitFromTheMomentBothHoldIt)
{
    // No counters: the trapezoid of each part. 1 kW host, gpu0 at 400 W. A (gpu0) and C (no
    // device) from 0, B (gpu0 too) from 5 s.
    ManualClock clock{at(0)};
    Ledger ledger{LedgerConfig{}, clock};
    ledger.applyControl(startWith(QStringLiteral("A"), 0, {QStringLiteral("0")}));
    ledger.applyControl(startWith(QStringLiteral("C"), 0, {}));
    ledger.applyControl(startWith(QStringLiteral("B"), 5, {QStringLiteral("0")}));
    ledger.addPower(sampleAt(0, 1000, {{"gpu0", 400}, {"gpu1", 100}}));
    ledger.addPower(sampleAt(10, 1000, {{"gpu0", 400}, {"gpu1", 100}}));
    // 0-5 s: gpu0's 2,000 J to A, the rest 3,000 J halved. 5-10 s: gpu0's 2,000 J halved between
    // A and B, the rest 3,000 J in thirds.
    expectRelative(joulesOf(ledger, QStringLiteral("A")), 2000 + 1500 + 1000 + 1000);
    expectRelative(joulesOf(ledger, QStringLiteral("B")), 1000 + 1000);
    expectRelative(joulesOf(ledger, QStringLiteral("C")), 1500 + 1000);
    expectRelative(allJoules(ledger), 10000.0);
}

TEST(LedgerGpus, GpusNamedByDeviceIdAreMatchedByTheirUuid)
{
    ManualClock clock{at(0)};
    Ledger ledger{LedgerConfig{}, clock};
    // An exact id, a unique prefix (as CUDA_VISIBLE_DEVICES allows), an ambiguous prefix and a
    // MIG instance (no energy of its own): the last two hold nothing here.
    ledger.applyControl(startWith(QStringLiteral("exact"), 0, {uuidOf(1)}));
    ledger.applyControl(startWith(QStringLiteral("prefix"), 0, {uuidOf(2).left(8).toUpper()}));
    ledger.applyControl(startWith(QStringLiteral("ambiguous"), 0, {QStringLiteral("GPU-")}));
    ledger.applyControl(startWith(QStringLiteral("mig"), 0, {QStringLiteral("MIG-1234")}));
    ledger.addPower(sampleAt(0, 1000, {{"gpu1", 300}, {"gpu2", 100}}));
    ledger.addPower(sampleAt(10, 1000, {{"gpu1", 300}, {"gpu2", 100}}));
    // The rest: 10,000 - 3,000 - 1,000 J in quarters.
    expectRelative(joulesOf(ledger, QStringLiteral("exact")), 3000 + 1500);
    expectRelative(joulesOf(ledger, QStringLiteral("prefix")), 1000 + 1500);
    expectRelative(joulesOf(ledger, QStringLiteral("ambiguous")), 1500);
    expectRelative(joulesOf(ledger, QStringLiteral("mig")), 1500);
}

TEST(LedgerGpus, GpusDrawingMoreThanTheHostAreScaledDownToItAndCounted)
{
    ManualClock clock{at(0)};
    Ledger ledger{LedgerConfig{}, clock};
    ledger.applyControl(startWith(QStringLiteral("A"), 0, {QStringLiteral("0")}));
    ledger.applyControl(startWith(QStringLiteral("B"), 0, {}));
    ledger.addPower(sampleAt(0, 300, {{"gpu0", 500}}));
    ledger.addPower(sampleAt(10, 300, {{"gpu0", 500}}));
    expectRelative(joulesOf(ledger, QStringLiteral("A")), 3000);
    EXPECT_EQ(joulesOf(ledger, QStringLiteral("B")), 0.0);
    EXPECT_EQ(ledger.counters().gpuEnergyClamped, 1u);
}

TEST(LedgerGpus, WithoutABreakdownOnBothEndsOrWithoutJobsTheRulesAreAsBefore)
{
    ManualClock clock{at(0)};
    Ledger ledger{LedgerConfig{}, clock};
    ledger.addPower(sampleAt(0, 1000, {{"gpu0", 400}}));
    ledger.addPower(sampleAt(10, 1000, {{"gpu0", 400}})); // nobody runs: all idle
    ledger.applyControl(startWith(QStringLiteral("A"), 10, {QStringLiteral("0")}));
    ledger.applyControl(startWith(QStringLiteral("B"), 10, {}));
    ledger.addPower(sampleAt(20, 1000, {}));              // no breakdown at the end: halves
    ledger.addPower(sampleAt(30, 1000, {{"gpu0", 400}})); // nor at the start: halves
    ledger.addPower(sampleAt(40, 1000, {{"gpu0", 400}})); // both: the GPU to A
    expectRelative(joulesOf(ledger, QStringLiteral("idle")), 10000);
    expectRelative(joulesOf(ledger, QStringLiteral("A")), 5000 + 5000 + 4000 + 3000);
    expectRelative(joulesOf(ledger, QStringLiteral("B")), 5000 + 5000 + 3000);
}

// Generated streams: random mixes of jobs on every host, on the host without devices, holding
// GPUs by index or id (overlapping or not), starting and ending inside intervals; samples at
// random intervals with and without counters, some without a breakdown, some lost, GPUs that
// sometimes draw more than the host, samples naming a job, a restart from the state file. Every
// job plus idle must get exactly the host's energy, computed here from the samples the ledger
// received.
TEST(LedgerGpus, EveryJobPlusIdleIsTheHostsEnergyWhateverTheMix)
{
    constexpr int kGpus = 4;
    quint64 clampedIntervals = 0;
    for (quint32 seed = 1; seed <= 40; ++seed) {
        QRandomGenerator random(seed);
        const int counterMode = seed % 3; // 0: none, 1: always, 2: some samples
        LedgerConfig cfg;
        cfg.maxNewIdsPerMinute = 0;
        ManualClock clock{at(0)};
        auto ledger = std::make_unique<Ledger>(cfg, clock);
        const double restartAt = random.bounded(400.0); // the processor restarts from its state

        // Jobs, their controls in time order with the samples.
        std::multimap<double, ControlMessage> controls;
        const int jobs = 1 + static_cast<int>(random.bounded(8));
        for (int n = 0; n < jobs; ++n) {
            const QString id = QStringLiteral("job-%1").arg(n);
            const double start = random.bounded(300.0);
            const double end = start + 1 + random.bounded(200.0);
            const quint32 kind = random.bounded(4); // every host, host, GPUs by index, by id
            QStringList gpus;
            for (int g = 0; kind >= 2 && g < kGpus; ++g) {
                if (random.bounded(3) == 0) {
                    gpus << (kind == 2 ? QString::number(g) : uuidOf(g));
                }
            }
            controls.emplace(start, startWith(id, start, gpus, kind == 0 ? QString() : kHost));
            if (random.bounded(6) != 0) { // some never end
                controls.emplace(end,
                                 control(JobStatus::End, id, end, kind == 0 ? QString() : kHost));
            }
        }

        double expected = 0;
        int restarts = 0;
        std::optional<PowerSample> previous;
        quint64 seq = 0;
        double counter = 5e5;
        std::vector<double> gpuCounters(kGpus, 1e4);
        double hostWatts = 500;
        std::vector<double> gpuWatts(kGpus, 100);
        for (double t = 0; t < 400;) {
            t += 0.2 + random.bounded(3.0) + (random.bounded(40) == 0 ? 12.0 : 0.0);
            while (!controls.empty() && controls.begin()->first <= t) {
                ledger->applyControl(controls.begin()->second);
                controls.erase(controls.begin());
            }
            const double dt = previous ? (at(t) - previous->timestampNs) / 1e9 : 0;
            hostWatts = 200 + random.bounded(1000.0);
            const bool useCounter =
                counterMode == 1 || (counterMode == 2 && random.bounded(2) == 0);
            std::vector<Part> parts;
            for (int g = 0; g < kGpus; ++g) {
                gpuWatts[g] = random.bounded(random.bounded(10) == 0 ? 600.0 : 250.0);
                gpuCounters[g] += gpuWatts[g] * dt * (0.8 + random.bounded(0.4));
                parts.push_back({QStringLiteral("gpu%1").arg(g), gpuWatts[g],
                                 useCounter ? gpuCounters[g] : -1.0});
            }
            parts.push_back({QStringLiteral("package-0"), 80});
            if (random.bounded(10) == 0) {
                parts.clear(); // a sample without its breakdown
            }
            counter += hostWatts * dt * (0.9 + random.bounded(0.2));
            ++seq;
            PowerSample s =
                sampleAt(t, hostWatts, parts,
                         useCounter ? std::optional<double>(counter) : std::nullopt, seq);
            if (random.bounded(5) == 0) {
                s.jobId = QStringLiteral("named-by-samples"); // counts where no control job runs
            }
            if (random.bounded(8) == 0) {
                continue; // lost on the way
            }
            if (t >= restartAt && restarts++ == 0) {
                auto restored = std::make_unique<Ledger>(cfg, clock);
                QString error;
                ASSERT_TRUE(restored->restore(ledger->toJson(), &error)) << error.toStdString();
                ledger = std::move(restored);
            }
            clock.set(s.timestampNs);
            ASSERT_EQ(ledger->addPower(s), Ledger::Result::Accepted);
            if (previous) { // the host's energy by the rules, from what arrived
                const double seconds = (s.timestampNs - previous->timestampNs) / 1e9;
                if (s.energyJ && previous->energyJ) {
                    expected += *s.energyJ - *previous->energyJ;
                } else if (*s.seq == *previous->seq + 1 && seconds <= cfg.maxGapSeconds) {
                    expected += (s.watts + previous->watts) * 0.5 * seconds;
                }
            }
            previous = s;
        }
        ASSERT_GT(expected, 0);
        EXPECT_NEAR(allJoules(*ledger), expected, expected * 1e-9) << "seed " << seed;
        clampedIntervals += ledger->counters().gpuEnergyClamped;
        if (::testing::Test::HasFailure()) {
            break;
        }
    }
    EXPECT_GT(clampedIntervals, 0u) << "the streams include GPUs drawing more than the host";
}
