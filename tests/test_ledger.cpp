// Exact-value tests of the accounting rules (docs/accounting.md).
#include "accounting/Ledger.h"
#include "LedgerTestSupport.h"

#include <QRandomGenerator>
#include <gtest/gtest.h>

using namespace greenpulse::core;
using namespace greenpulse::test::ledger;

namespace {

class LedgerTest : public ::testing::Test
{
protected:
    ManualClock clock{at(100'000)}; // "now" well after every sample
    LedgerConfig config;
    Ledger ledger{config, clock};

    JobSummary job(const QString &id)
    {
        const auto j = ledger.job(id);
        EXPECT_TRUE(j.has_value()) << id.toStdString();
        return j.value_or(JobSummary{});
    }

    // 400 W on "h" from t=-1 s to t=3601 s at the given spacing, job J running [0, 3600).
    void runConstantLoad(const std::function<double()> &nextStep)
    {
        ledger.applyControl(control(JobStatus::Start, QStringLiteral("J"), 0, QStringLiteral("h")));
        ledger.applyControl(
            control(JobStatus::End, QStringLiteral("J"), 3600, QStringLiteral("h")));
        double t = -1;
        while (t < 3601) {
            ASSERT_EQ(ledger.addPower(power(QStringLiteral("h"), t, 400)),
                      Ledger::Result::Accepted);
            t += nextStep();
        }
        ledger.addPower(power(QStringLiteral("h"), 3601, 400));
    }
};

} // namespace

TEST_F(LedgerTest, ConstantLoadAtOneHertz)
{
    runConstantLoad([] { return 1.0; });
    expectRelative(job(QStringLiteral("J")).kwh, 0.4);
}

TEST_F(LedgerTest, ConstantLoadAtPointTwoHertz)
{
    runConstantLoad([] { return 5.0; });
    expectRelative(job(QStringLiteral("J")).kwh, 0.4);
}

TEST_F(LedgerTest, ConstantLoadAtTenHertz)
{
    runConstantLoad([] { return 0.1; });
    expectRelative(job(QStringLiteral("J")).kwh, 0.4);
}

TEST_F(LedgerTest, ConstantLoadAtRandomIntervals)
{
    QRandomGenerator random(42);
    runConstantLoad([&random] { return 0.1 + random.generateDouble() * 4.9; });
    const JobSummary j = job(QStringLiteral("J"));
    expectRelative(j.kwh, 0.4);
    expectRelative(j.co2eKg, 0.4 * 0.632);
    EXPECT_DOUBLE_EQ(j.coverage, 1.0);
    expectRelative(j.durationSeconds, 3600);
    expectRelative(j.avgWatts, 400);
    EXPECT_FALSE(j.running);
}

TEST_F(LedgerTest, RampFromZeroToOneKilowattOverAnHourIsHalfAKilowattHour)
{
    for (int t = 0; t <= 3600; ++t) {
        ledger.addPower(power(QStringLiteral("h"), t, 1000.0 * t / 3600.0));
    }
    expectRelative(job(QStringLiteral("idle")).kwh, 0.5);
}

TEST_F(LedgerTest, JobStartingInsideAnIntervalGetsExactlyItsShare)
{
    ledger.addPower(power(QStringLiteral("h"), 0, 100));
    ledger.applyControl(control(JobStatus::Start, QStringLiteral("J"), 4));
    ledger.addPower(power(QStringLiteral("h"), 10, 200));
    // Power at t=4 is 140 W (linear): idle gets (100+140)/2*4 J, the job (140+200)/2*6 J.
    expectRelative(job(QStringLiteral("J")).kwh, 1020.0 / 3.6e6);
    expectRelative(job(QStringLiteral("idle")).kwh, 480.0 / 3.6e6);
    ledger.applyControl(control(JobStatus::End, QStringLiteral("J"), 12.5));
    ledger.addPower(power(QStringLiteral("h"), 20, 200));
    expectRelative(job(QStringLiteral("J")).kwh, (1020.0 + 500.0) / 3.6e6);
    expectRelative(job(QStringLiteral("idle")).kwh, (480.0 + 1500.0) / 3.6e6);
}

TEST_F(LedgerTest, GapLongerThanMaxGapIsNotIntegratedAndShowsInCoverage)
{
    ledger.applyControl(control(JobStatus::Start, QStringLiteral("J"), 0));
    for (int t = 0; t <= 30; ++t) {
        ledger.addPower(power(QStringLiteral("h"), t, 360));
    }
    ledger.addPower(power(QStringLiteral("h"), 60, 360)); // 30 s without samples
    for (int t = 61; t <= 90; ++t) {
        ledger.addPower(power(QStringLiteral("h"), t, 360));
    }
    const JobSummary j = job(QStringLiteral("J"));
    expectRelative(j.kwh, 360.0 * 60 / 3.6e6);
    expectRelative(j.coverage, 60.0 / 90.0);
    expectRelative(j.uncoveredSeconds, 30);
    EXPECT_EQ(ledger.counters().gaps, 1u);
}

TEST_F(LedgerTest, OutOfOrderSamplesAreCountedAndIgnored)
{
    // (Samples far ahead of their receipt time: test_ledger_faults.cpp, clock skew.)
    ledger.addPower(power(QStringLiteral("h"), 0, 100));
    ledger.addPower(power(QStringLiteral("h"), 10, 100));
    EXPECT_EQ(ledger.addPower(power(QStringLiteral("h"), 5, 99999)), Ledger::Result::OutOfOrder);
    EXPECT_EQ(ledger.addPower(power(QStringLiteral("h"), 10, 99999)), Ledger::Result::OutOfOrder);
    ledger.addPower(power(QStringLiteral("h"), 20, 100));
    expectRelative(job(QStringLiteral("idle")).kwh, 2000.0 / 3.6e6);
    EXPECT_EQ(ledger.counters().outOfOrder, 2u);
    EXPECT_EQ(ledger.counters().fromFuture, 0u);
}

TEST_F(LedgerTest, SampleJobIdAttributesWithoutAStart)
{
    ledger.addPower(power(QStringLiteral("h"), 0, 100));
    ledger.addPower(power(QStringLiteral("h"), 1, 400, QStringLiteral("X")));
    ledger.addPower(power(QStringLiteral("h"), 2, 400, QStringLiteral("X")));
    ledger.addPower(power(QStringLiteral("h"), 3, 100));
    // Each interval belongs to the job named by the sample that closes it.
    expectRelative(job(QStringLiteral("X")).kwh, (250.0 + 400.0) / 3.6e6);
    expectRelative(job(QStringLiteral("idle")).kwh, 250.0 / 3.6e6);
    EXPECT_FALSE(job(QStringLiteral("X")).running);
}

TEST_F(LedgerTest, ControlMessagesWinOverStaleSampleJobIds)
{
    ledger.applyControl(control(JobStatus::Start, QStringLiteral("J"), 0));
    ledger.addPower(power(QStringLiteral("h"), 0, 400, QStringLiteral("J")));
    ledger.applyControl(control(JobStatus::End, QStringLiteral("J"), 1));
    // The agent has not heard of the end yet and still names J: J ended at 1 s all the same.
    ledger.addPower(power(QStringLiteral("h"), 2, 400, QStringLiteral("J")));
    expectRelative(job(QStringLiteral("J")).kwh, 400.0 / 3.6e6);
    expectRelative(job(QStringLiteral("idle")).kwh, 400.0 / 3.6e6);
}

TEST_F(LedgerTest, TwoJobsOnOneHostShareEqually)
{
    ledger.applyControl(control(JobStatus::Start, QStringLiteral("A"), 0, QStringLiteral("h")));
    ledger.applyControl(control(JobStatus::Start, QStringLiteral("B"), 0));
    for (int t = 0; t <= 100; ++t) {
        ledger.addPower(power(QStringLiteral("h"), t, 300));
    }
    expectRelative(job(QStringLiteral("A")).kwh, 15000.0 / 3.6e6);
    expectRelative(job(QStringLiteral("B")).kwh, 15000.0 / 3.6e6);
    EXPECT_DOUBLE_EQ(job(QStringLiteral("A")).currentWatts, 150);
}

TEST_F(LedgerTest, JobWithoutHostRunsOnEveryHost)
{
    ledger.applyControl(control(JobStatus::Start, QStringLiteral("J"), 0));
    for (int t = 0; t <= 10; ++t) {
        ledger.addPower(power(QStringLiteral("a"), t, 100));
        ledger.addPower(power(QStringLiteral("b"), t, 200));
    }
    const JobSummary j = job(QStringLiteral("J"));
    expectRelative(j.kwh, 3000.0 / 3.6e6);
    EXPECT_EQ(j.hosts, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    EXPECT_DOUBLE_EQ(j.currentWatts, 300);
    EXPECT_DOUBLE_EQ(j.peakWatts, 300);
}

TEST_F(LedgerTest, JobOnOneHostLeavesOtherHostsIdle)
{
    ledger.applyControl(control(JobStatus::Start, QStringLiteral("J"), 0, QStringLiteral("a")));
    for (int t = 0; t <= 10; ++t) {
        ledger.addPower(power(QStringLiteral("a"), t, 100));
        ledger.addPower(power(QStringLiteral("b"), t, 200));
    }
    expectRelative(job(QStringLiteral("J")).kwh, 1000.0 / 3.6e6);
    expectRelative(job(QStringLiteral("idle")).kwh, 2000.0 / 3.6e6);
}

TEST_F(LedgerTest, WaterIsIntegratedAndAttributedLikePower)
{
    ledger.applyControl(control(JobStatus::Start, QStringLiteral("J"), 30, QStringLiteral("h")));
    for (int t = 0; t <= 60; ++t) {
        ledger.addFlowTemp(flow(QStringLiteral("h"), t, 1.2, 25 + t / 10.0));
        ledger.addPower(power(QStringLiteral("h"), t, 100));
    }
    expectRelative(job(QStringLiteral("J")).liters, 0.6);
    expectRelative(job(QStringLiteral("idle")).liters, 0.6);
    EXPECT_DOUBLE_EQ(job(QStringLiteral("J")).peakTempC, 31.0);
}

TEST_F(LedgerTest, CarbonUsesPueAndIntensity)
{
    LedgerConfig c;
    c.pue = 1.5;
    c.carbonKgPerKwh = 0.2;
    ledger.setConfig(c);
    for (int t = 0; t <= 3600; t += 2) {
        ledger.addPower(power(QStringLiteral("h"), t, 1000));
    }
    expectRelative(job(QStringLiteral("idle")).co2eKg, 1.0 * 1.5 * 0.2);
}

TEST_F(LedgerTest, RestartFromStateContinuesTheTotals)
{
    // With "seq" continuous across the restart nothing was lost, so nothing is uncovered
    // (without it, the first interval is: test_ledger_faults.cpp).
    ledger.applyControl(control(JobStatus::Start, QStringLiteral("J"), 0, QStringLiteral("h")));
    for (int t = 0; t <= 100; ++t) {
        ledger.addPower(withSeq(power(QStringLiteral("h"), t, 360), t));
        ledger.addFlowTemp(withSeq(flow(QStringLiteral("h"), t, 0.6), t));
    }
    const QJsonObject saved = ledger.toJson();

    Ledger resumed(config, clock);
    QString error;
    ASSERT_TRUE(resumed.restore(saved, &error)) << error.toStdString();
    for (int t = 101; t <= 200; ++t) {
        resumed.addPower(withSeq(power(QStringLiteral("h"), t, 360), t));
        resumed.addFlowTemp(withSeq(flow(QStringLiteral("h"), t, 0.6), t));
    }
    resumed.applyControl(control(JobStatus::End, QStringLiteral("J"), 200, QStringLiteral("h")));
    const auto j = resumed.job(QStringLiteral("J"));
    ASSERT_TRUE(j);
    expectRelative(j->kwh, 360.0 * 200 / 3.6e6);
    expectRelative(j->liters, 0.6 * 200 / 60);
    EXPECT_FALSE(j->running);
    EXPECT_EQ(resumed.counters().powerSamples, 201u);
}

TEST_F(LedgerTest, RejectsForeignState)
{
    QString error;
    EXPECT_FALSE(
        ledger.restore(QJsonObject{{QStringLiteral("format"), QStringLiteral("x")}}, &error));
    EXPECT_FALSE(error.isEmpty());
}

TEST_F(LedgerTest, EndWithoutStartAndRepeatedStartsAreHarmless)
{
    ledger.applyControl(control(JobStatus::End, QStringLiteral("ghost"), 5));
    ledger.applyControl(control(JobStatus::Start, QStringLiteral("J"), 0));
    ledger.applyControl(control(JobStatus::Start, QStringLiteral("J"), 3));
    for (int t = 0; t <= 10; ++t) {
        ledger.addPower(power(QStringLiteral("h"), t, 100));
    }
    expectRelative(job(QStringLiteral("J")).kwh, 1000.0 / 3.6e6);
    EXPECT_DOUBLE_EQ(job(QStringLiteral("ghost")).kwh, 0);
    EXPECT_FALSE(job(QStringLiteral("ghost")).running);
}

TEST_F(LedgerTest, AnEndStampedBeforeTheJobWasSeenGivesNoNegativeDuration)
{
    // Found by the fuzzer: a sample-only job ended by a control message from a skewed clock.
    ledger.addPower(power(QStringLiteral("a"), 0, 400, QStringLiteral("J")));
    ledger.addPower(power(QStringLiteral("a"), 1, 400, QStringLiteral("J")));
    ledger.applyControl(control(JobStatus::End, QStringLiteral("J"), -381'024'589));
    const JobSummary j = job(QStringLiteral("J"));
    EXPECT_FALSE(j.running);
    EXPECT_GE(j.durationSeconds, 0);
    EXPECT_GE(j.endNs, j.startNs);
    expectRelative(j.kwh, 400.0 / 3.6e6);
}

// `idle` is interrupted by jobs: its average is over the time it drew power, not its whole span.
TEST_F(LedgerTest, AverageWattsCountOnlyTheTimeTheJobDrewPower)
{
    ledger.applyControl(control(JobStatus::Start, QStringLiteral("J"), 10, QStringLiteral("h")));
    ledger.applyControl(control(JobStatus::End, QStringLiteral("J"), 40, QStringLiteral("h")));
    for (int t = 0; t <= 60; ++t) {
        const bool busy = t > 10 && t <= 40;
        ASSERT_EQ(ledger.addPower(power(QStringLiteral("h"), t, busy ? 400 : 100)),
                  Ledger::Result::Accepted);
    }
    // Idle: 0-10 s and 40-60 s at 100 W, apart from the ramps into and out of the job.
    const JobSummary idle = job(QStringLiteral("idle"));
    const double idleJoules = idle.kwh * 3.6e6;
    expectRelative(idle.avgWatts, idleJoules / 30);
    const JobSummary j = job(QStringLiteral("J"));
    expectRelative(j.avgWatts, j.kwh * 3.6e6 / 30);

    // Two hosts idle side by side: the average is their sum, as for a job on both.
    Ledger two{config, clock};
    for (int t = 100; t <= 110; ++t) {
        two.addPower(power(QStringLiteral("a"), t, 100));
        two.addPower(power(QStringLiteral("b"), t, 50));
    }
    expectRelative(two.job(QStringLiteral("idle"))->avgWatts, 150);
}
