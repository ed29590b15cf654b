// Energy counters (docs/accounting.md, "Energy counters"): when two consecutive power samples of
// a host carry a counter under the same id, the interval's energy is their difference, so lost or
// late messages lose no energy. Generated streams, a fake clock, the pure Ledger.
#include "LedgerTestSupport.h"
#include "accounting/Ledger.h"

#include <QRandomGenerator>
#include <gtest/gtest.h>

using namespace greenpulse::core;
using namespace greenpulse::test;
using namespace greenpulse::test::ledger;

namespace {

constexpr double kJoulesPerKwh = 3.6e6;
const QString kHost = QStringLiteral("gpu-01");

// What an agent reads: a true power that changes every 100 ms (so a sample's watts, the average
// over its interval, is not an instantaneous reading), and its cumulative counter.
struct Truth
{
    std::vector<double> joulesAt; // counter at each whole second

    explicit Truth(int seconds, quint32 seed)
    {
        QRandomGenerator random(seed);
        joulesAt.push_back(1.0e6); // a counter that started long before
        for (int s = 0; s < seconds; ++s) {
            double joules = 0;
            for (int tenth = 0; tenth < 10; ++tenth) {
                joules += (100.0 + random.bounded(800.0)) * 0.1;
            }
            joulesAt.push_back(joulesAt.back() + joules);
        }
    }
    double between(int a, int b) const { return joulesAt[b] - joulesAt[a]; }
    PowerSample sample(int second, quint64 seq,
                       const QString &counterId = QStringLiteral("c1")) const
    {
        const double watts = second == 0 ? 0.0 : joulesAt[second] - joulesAt[second - 1];
        PowerSample s = withSeq(power(kHost, second, watts), seq);
        s.energyJ = joulesAt[second];
        s.counterId = counterId;
        s.source = QStringLiteral("rapl");
        return s;
    }
};

JobSummary jobOf(const Ledger &ledger, const QString &id)
{
    const auto j = ledger.job(id);
    EXPECT_TRUE(j.has_value()) << id.toStdString();
    return j.value_or(JobSummary{});
}

} // namespace

TEST(LedgerCounters, AJobGetsTheCounterDifferenceOverItsSpanWithAFifthOfTheMessagesLost)
{
    for (quint32 seed : {1u, 2u, 3u, 4u, 5u}) {
        const Truth truth(600, seed);
        ManualClock clock{at(0)};
        Ledger ledger{LedgerConfig{}, clock};
        ledger.applyControl(control(JobStatus::Start, QStringLiteral("J"), 100));
        ledger.applyControl(control(JobStatus::End, QStringLiteral("J"), 500));
        QRandomGenerator drop(seed * 7919u);
        int lost = 0;
        for (int s = 0; s <= 600; ++s) {
            const bool kept = s == 0 || s == 100 || s == 500 || s == 600 || drop.bounded(5) != 0;
            if (!kept) {
                ++lost;
                continue;
            }
            ASSERT_EQ(ledger.addPower(truth.sample(s, static_cast<quint64>(s) + 1)),
                      Ledger::Result::Accepted);
        }
        ASSERT_GT(lost, 80) << "about a fifth dropped";
        const JobSummary job = jobOf(ledger, QStringLiteral("J"));
        expectRelative(job.kwh, truth.between(100, 500) / kJoulesPerKwh, 1e-9);
        EXPECT_DOUBLE_EQ(job.coverage, 1.0); // measured: the lost messages hid no energy
        const JobSummary idle = jobOf(ledger, QStringLiteral("idle"));
        expectRelative(idle.kwh + job.kwh, truth.between(0, 600) / kJoulesPerKwh, 1e-12);
        EXPECT_EQ(ledger.counters().missingSamples, static_cast<quint64>(lost)); // still counted
        EXPECT_EQ(ledger.counters().gaps, 0u);
        EXPECT_GT(ledger.counters().counterIntervals, 0u);
    }
}

TEST(LedgerCounters, ABoundaryInsideALongIntervalSplitsItsEnergyInProportionToTime)
{
    const Truth truth(100, 9);
    ManualClock clock{at(0)};
    Ledger ledger{LedgerConfig{}, clock};
    ledger.applyControl(control(JobStatus::Start, QStringLiteral("J"), 30));
    ASSERT_EQ(ledger.addPower(truth.sample(0, 1)), Ledger::Result::Accepted);
    // 80 s without a message (longer than max gap): with counters, still measured.
    ASSERT_EQ(ledger.addPower(truth.sample(80, 81)), Ledger::Result::Accepted);
    const double energy = truth.between(0, 80);
    expectRelative(jobOf(ledger, QStringLiteral("J")).kwh, energy * 50.0 / 80.0 / kJoulesPerKwh);
    expectRelative(jobOf(ledger, QStringLiteral("idle")).kwh, energy * 30.0 / 80.0 / kJoulesPerKwh);
    EXPECT_EQ(ledger.counters().gaps, 0u);
}

TEST(LedgerCounters, ANewCounterIdOrACounterThatGoesBackTakesTheTrapezoidAndIsCounted)
{
    const Truth truth(30, 11);
    ManualClock clock{at(0)};
    Ledger ledger{LedgerConfig{}, clock};
    ledger.addPower(truth.sample(0, 1));
    ledger.addPower(truth.sample(10, 2));
    PowerSample restarted = truth.sample(20, 3, QStringLiteral("c2")); // the agent restarted
    restarted.energyJ = 5.0;
    restarted.watts = 200;
    PowerSample before = truth.sample(10, 2);
    ledger.addPower(restarted);
    PowerSample back = truth.sample(30, 4, QStringLiteral("c2"));
    back.energyJ = 1.0; // below 5.0 under the same id: the agent broke its promise
    back.watts = 200;
    ledger.addPower(back);
    EXPECT_EQ(ledger.counters().counterIntervals, 1u);
    EXPECT_EQ(ledger.counters().counterRestarts, 1u);
    EXPECT_EQ(ledger.counters().counterRegressions, 1u);
    const double expected = truth.between(0, 10)                  // the counter
                            + (before.watts + 200.0) * 0.5 * 10.0 // trapezoid across the restart
                            + 200.0 * 10.0;                       // trapezoid across the regression
    expectRelative(jobOf(ledger, QStringLiteral("idle")).kwh, expected / kJoulesPerKwh);
}

TEST(LedgerCounters, TheCounterSurvivesARestartOfTheProcessorSoTheOutageLosesNoEnergy)
{
    const Truth truth(300, 13);
    ManualClock clock{at(0)};
    QJsonObject saved;
    {
        Ledger ledger{LedgerConfig{}, clock};
        ledger.applyControl(control(JobStatus::Start, QStringLiteral("J"), 0));
        for (int s = 0; s <= 100; ++s) {
            ledger.addPower(truth.sample(s, static_cast<quint64>(s) + 1));
        }
        saved = ledger.toJson();
    }
    Ledger resumed{LedgerConfig{}, clock};
    QString error;
    ASSERT_TRUE(resumed.restore(saved, &error)) << error.toStdString();
    // Down for 150 s: the samples of 101..249 never reached us.
    for (int s = 250; s <= 300; ++s) {
        resumed.addPower(truth.sample(s, static_cast<quint64>(s) + 1));
    }
    const JobSummary job = jobOf(resumed, QStringLiteral("J"));
    expectRelative(job.kwh, truth.between(0, 300) / kJoulesPerKwh, 1e-12);
    EXPECT_DOUBLE_EQ(job.coverage, 1.0);
    EXPECT_EQ(resumed.counters().missingSamples, 149u);
}

TEST(LedgerCounters, SamplesWithoutACounterKeepTheTrapezoidAndItsGaps)
{
    ManualClock clock{at(0)};
    Ledger ledger{LedgerConfig{}, clock};
    ledger.addPower(withSeq(power(kHost, 0, 100), 1));
    ledger.addPower(withSeq(power(kHost, 10, 300), 2));
    ledger.addPower(withSeq(power(kHost, 20, 300), 5)); // two lost: a gap, uncovered
    const JobSummary idle = jobOf(ledger, QStringLiteral("idle"));
    expectRelative(idle.kwh, 2000.0 / kJoulesPerKwh);
    EXPECT_DOUBLE_EQ(idle.coverage, 0.5);
    EXPECT_EQ(ledger.counters().counterIntervals, 0u);
}
