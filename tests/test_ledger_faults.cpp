// Exact-value tests of the Ledger's rules for faulty input (docs/accounting.md: many jobs on one
// host, sequence numbers, restores, water gaps, clock skew, bounds), with a fake clock.
#include "accounting/Ledger.h"
#include "LedgerTestSupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <gtest/gtest.h>

using namespace greenpulse::core;
using namespace greenpulse::test::ledger;

namespace {

const QString kHost = QStringLiteral("h");
const QString kJob = QStringLiteral("J");

class LedgerFaults : public ::testing::Test
{
protected:
    ManualClock clock{at(100'000)};
    LedgerConfig config;
    Ledger ledger{config, clock};

    JobSummary job(Ledger &l, const QString &id)
    {
        const auto j = l.job(id);
        EXPECT_TRUE(j.has_value()) << id.toStdString();
        return j.value_or(JobSummary{});
    }
    JobSummary job(const QString &id) { return job(ledger, id); }
    HostSummary host(const QString &name)
    {
        for (const HostSummary &h : ledger.hosts()) {
            if (h.host == name) {
                return h;
            }
        }
        ADD_FAILURE() << "no host " << name.toStdString();
        return {};
    }
};

} // namespace

TEST_F(LedgerFaults, SeventyJobsOnOneHostEachGetTheirShare)
{
    for (int i = 0; i < 70; ++i) {
        ledger.applyControl(control(JobStatus::Start, QStringLiteral("J%1").arg(i), 0, kHost));
    }
    for (int t = 0; t <= 10; ++t) {
        ledger.addPower(power(kHost, t, 1000));
    }
    for (int i = 0; i < 70; ++i) {
        const JobSummary j = job(QStringLiteral("J%1").arg(i));
        expectRelative(j.kwh * 3.6e6, 10'000.0 / 70); // 142.857 J
        expectRelative(j.currentWatts, 1000.0 / 70);
    }
    expectRelative(job(QStringLiteral("idle")).kwh, 0.0);
}

TEST_F(LedgerFaults, ASequenceGapIsUncoveredHoweverShort)
{
    ledger.applyControl(control(JobStatus::Start, kJob, 0, kHost));
    ledger.addPower(withSeq(power(kHost, 0, 100), 1));
    ledger.addPower(withSeq(power(kHost, 1, 100), 2));
    ledger.addPower(withSeq(power(kHost, 2, 100), 5)); // 3 and 4 lost: 1 s, yet uncovered
    ledger.addPower(withSeq(power(kHost, 3, 100), 6));
    JobSummary j = job(kJob);
    expectRelative(j.kwh * 3.6e6, 200.0);
    expectRelative(j.coveredSeconds, 2.0);
    expectRelative(j.uncoveredSeconds, 1.0);
    EXPECT_EQ(ledger.counters().missingSamples, 2u);
    EXPECT_EQ(host(kHost).missingSamples, 2u);
    EXPECT_EQ(ledger.counters().gaps, 1u);

    // The publisher restarted (seq starts over): the gap rule alone judges the interval.
    ledger.addPower(withSeq(power(kHost, 4, 100), 1));
    ledger.addPower(withSeq(power(kHost, 20, 100), 2)); // 16 s: a gap by time
    j = job(kJob);
    expectRelative(j.coveredSeconds, 3.0);
    expectRelative(j.uncoveredSeconds, 17.0);
    EXPECT_EQ(ledger.counters().seqRestarts, 1u);
    EXPECT_EQ(ledger.counters().missingSamples, 2u);

    // Samples without seq (the original publishers) behave as before.
    ledger.addPower(power(kHost, 21, 100));
    ledger.addPower(power(kHost, 22, 100));
    expectRelative(job(kJob).coveredSeconds, 5.0);
}

TEST_F(LedgerFaults, WaterGapsAreUncoveredPerJobAndHost)
{
    ledger.applyControl(control(JobStatus::Start, kJob, 0, kHost));
    ledger.addPower(power(kHost, 0, 100));
    ledger.addFlowTemp(withSeq(flow(kHost, 0, 0.6), 10));
    ledger.addFlowTemp(withSeq(flow(kHost, 5, 0.6), 11));
    ledger.addFlowTemp(withSeq(flow(kHost, 25, 0.6), 12)); // 20 s > maxGap
    ledger.addFlowTemp(withSeq(flow(kHost, 26, 0.6), 14)); // one lost
    ledger.addFlowTemp(withSeq(flow(kHost, 30, 0.6), 15));
    const JobSummary j = job(kJob);
    expectRelative(j.liters, 0.6 * 9 / 60);
    expectRelative(j.waterCoveredSeconds, 9.0);
    expectRelative(j.waterUncoveredSeconds, 21.0);
    expectRelative(j.waterCoverage, 9.0 / 30.0);
    const HostSummary h = host(kHost);
    expectRelative(h.waterCoveredSeconds, 9.0);
    expectRelative(h.waterUncoveredSeconds, 21.0);
    EXPECT_EQ(ledger.counters().flowGaps, 2u);
    const QJsonObject o = Ledger::jobToJson(j);
    EXPECT_DOUBLE_EQ(o.value(QLatin1String("water_covered_s")).toDouble(), 9.0);
    EXPECT_DOUBLE_EQ(o.value(QLatin1String("water_uncovered_s")).toDouble(), 21.0);
    EXPECT_DOUBLE_EQ(o.value(QLatin1String("water_coverage")).toDouble(), 0.3);
    for (const char *key : {"job_id", "kwh", "liters", "coverage", "covered_s", "uncovered_s"}) {
        EXPECT_TRUE(o.contains(QLatin1String(key))) << key;
    }
}

// The state at t=10 of a host sampled every second (power and flow), with or without seq.
QJsonObject savedAtTen(const LedgerConfig &config, const Clock &clock, bool seq)
{
    Ledger before(config, clock);
    before.applyControl(control(JobStatus::Start, kJob, 0, kHost));
    for (int t = 0; t <= 10; ++t) {
        PowerSample p = power(kHost, t, 360);
        FlowTempSample f = flow(kHost, t, 0.6);
        if (seq) {
            p.seq = f.seq = static_cast<quint64>(t);
        }
        before.addPower(p);
        before.addFlowTemp(f);
    }
    return before.toJson();
}

TEST_F(LedgerFaults, AfterARestoreTheFirstIntervalIsUncoveredUnlessSeqProvesNothingWasLost)
{
    { // No seq: what arrived between the save and the restart may be lost.
        ASSERT_TRUE(ledger.restore(savedAtTen(config, clock, false), nullptr));
        ledger.addPower(power(kHost, 11, 360));
        ledger.addFlowTemp(flow(kHost, 11, 0.6));
        ledger.addPower(power(kHost, 12, 360));
        ledger.addFlowTemp(flow(kHost, 12, 0.6));
        const JobSummary j = job(kJob);
        expectRelative(j.coveredSeconds, 11.0);
        expectRelative(j.uncoveredSeconds, 1.0);
        expectRelative(j.waterUncoveredSeconds, 1.0);
        expectRelative(j.kwh * 3.6e6, 360.0 * 11);
    }
    { // seq == saved + 1: continuous, covered.
        Ledger resumed(config, clock);
        ASSERT_TRUE(resumed.restore(savedAtTen(config, clock, true), nullptr));
        resumed.addPower(withSeq(power(kHost, 11, 360), 11));
        resumed.addFlowTemp(withSeq(flow(kHost, 11, 0.6), 11));
        const JobSummary j = job(resumed, kJob);
        expectRelative(j.coveredSeconds, 11.0);
        expectRelative(j.uncoveredSeconds, 0.0);
        expectRelative(j.waterUncoveredSeconds, 0.0);
    }
    { // seq jumped: lost, counted.
        Ledger resumed(config, clock);
        ASSERT_TRUE(resumed.restore(savedAtTen(config, clock, true), nullptr));
        resumed.addPower(withSeq(power(kHost, 11, 360), 13));
        const JobSummary j = job(resumed, kJob);
        expectRelative(j.uncoveredSeconds, 1.0);
        EXPECT_EQ(resumed.counters().missingSamples, 2u);
    }
}

TEST_F(LedgerFaults, AHostTwoHoursBehindGetsItsJobsEnergy)
{
    // Receipt times are the truth: the job runs [1000, 1100) by the processor's clock, the host
    // stamps its samples 2 h earlier.
    ledger.applyControl(receivedAt(control(JobStatus::Start, kJob, 1000, kHost), 1000));
    for (int t = 1000; t <= 1100; ++t) {
        ledger.addPower(receivedAt(power(kHost, t - 7200, 500), t));
    }
    ledger.applyControl(receivedAt(control(JobStatus::End, kJob, 1100, kHost), 1100));
    expectRelative(job(kJob).kwh * 3.6e6, 500.0 * 100);
    EXPECT_EQ(ledger.counters().clockSkew, 101u);
    const HostSummary h = host(kHost);
    EXPECT_TRUE(h.hasClockOffset);
    EXPECT_DOUBLE_EQ(h.clockOffsetSeconds, -7200.0);
    EXPECT_EQ(h.clockSkewSamples, 101u);
}

TEST_F(LedgerFaults, OneSampleFromTheFutureBlocksNothing)
{
    for (int t = 0; t <= 10; ++t) {
        ledger.addPower(receivedAt(power(kHost, t, 100), t));
    }
    // 30 s ahead: re-stamped with its receipt time, counted, accepted.
    EXPECT_EQ(ledger.addPower(receivedAt(power(kHost, 41, 100), 11)), Ledger::Result::Accepted);
    for (int t = 12; t <= 40; ++t) {
        EXPECT_EQ(ledger.addPower(receivedAt(power(kHost, t, 100), t)), Ledger::Result::Accepted);
    }
    EXPECT_EQ(ledger.counters().outOfOrder, 0u);
    EXPECT_EQ(ledger.counters().clockSkew, 1u);
    EXPECT_EQ(ledger.counters().fromFuture, 0u);
    expectRelative(job(QStringLiteral("idle")).kwh * 3.6e6, 100.0 * 40);
    expectRelative(job(QStringLiteral("idle")).coverage, 1.0);
}

TEST_F(LedgerFaults, AncientTimestampsNeverReachTheSavedState)
{
    ledger.addPower(receivedAt(power(kHost, 0, 100), 0));
    PowerSample one = receivedAt(power(kHost, 0, 100), 1);
    one.timestampNs = 1'000'000'000; // "timestamp": 1
    ledger.addPower(one);
    PowerSample billion = receivedAt(power(kHost, 0, 100), 2);
    billion.timestampNs = 1'000'000'000LL * 1'000'000'000LL; // "timestamp": 1e9 (2001)
    ledger.addPower(billion);
    ledger.addPower(receivedAt(power(kHost, 3, 100), 3));
    const JobSummary idle = job(QStringLiteral("idle"));
    EXPECT_EQ(idle.startNs, at(0));
    expectRelative(idle.coverage, 1.0);
    expectRelative(idle.kwh * 3.6e6, 300.0);

    Ledger resumed(config, clock);
    ASSERT_TRUE(resumed.restore(ledger.toJson(), nullptr));
    const JobSummary again = job(resumed, QStringLiteral("idle"));
    EXPECT_EQ(again.startNs, at(0));
    expectRelative(again.coverage, 1.0);
}

TEST_F(LedgerFaults, ABacklogWithinTheBoundKeepsItsOwnTimestamps)
{
    // After a short processor restart the broker delivers a minute of queued samples at once.
    ledger.applyControl(receivedAt(control(JobStatus::Start, kJob, 0, kHost), 0));
    for (int t = 0; t <= 60; ++t) {
        ledger.addPower(receivedAt(withSeq(power(kHost, t, 200), t), 70 + t * 0.001));
    }
    expectRelative(job(kJob).kwh * 3.6e6, 200.0 * 60);
    EXPECT_EQ(ledger.counters().clockSkew, 0u);
}

TEST_F(LedgerFaults, NewIdsAreBounded)
{
    config.maxHosts = 3;
    config.maxJobs = 3; // "idle" counts
    Ledger bounded(config, clock);
    EXPECT_EQ(bounded.addPower(power(QStringLiteral("a"), 0, 1, QStringLiteral("ja"))),
              Ledger::Result::Accepted);
    EXPECT_EQ(bounded.addPower(power(QStringLiteral("b"), 0, 1, QStringLiteral("jb"))),
              Ledger::Result::Accepted);
    EXPECT_EQ(bounded.addPower(power(QStringLiteral("c"), 0, 1, QStringLiteral("jc"))),
              Ledger::Result::TooManyIds);
    EXPECT_EQ(bounded.applyControl(control(JobStatus::Start, QStringLiteral("k"), 1)),
              Ledger::Result::TooManyIds);
    EXPECT_EQ(bounded.addFlowTemp(flow(QStringLiteral("c"), 0, 1)), Ledger::Result::Accepted);
    EXPECT_EQ(bounded.addFlowTemp(flow(QStringLiteral("d"), 0, 1)), Ledger::Result::TooManyIds);
    EXPECT_EQ(bounded.counters().tooManyIds, 3u);
    // Known ids pass whatever the bounds.
    EXPECT_EQ(bounded.addPower(power(QStringLiteral("a"), 1, 1, QStringLiteral("ja"))),
              Ledger::Result::Accepted);
    EXPECT_EQ(bounded.hosts().size(), 3u);
}

TEST_F(LedgerFaults, NewIdsAreRateLimited)
{
    config.maxNewIdsPerMinute = 3; // a bucket of 3, one more every 20 s
    Ledger limited(config, clock);
    EXPECT_EQ(limited.addPower(power(QStringLiteral("a"), 0, 1, QStringLiteral("ja"))),
              Ledger::Result::Accepted); // two new ids
    // One token left: a new host with a new job needs two; nothing of it is created.
    EXPECT_EQ(limited.addPower(power(QStringLiteral("b"), 0, 1, QStringLiteral("jb"))),
              Ledger::Result::IdRateLimited);
    EXPECT_EQ(limited.addFlowTemp(flow(QStringLiteral("b"), 0, 1)), Ledger::Result::Accepted);
    EXPECT_EQ(limited.addFlowTemp(flow(QStringLiteral("c"), 0, 1)), Ledger::Result::IdRateLimited);
    clock.advanceSeconds(20);
    EXPECT_EQ(limited.addFlowTemp(flow(QStringLiteral("c"), 0, 1)), Ledger::Result::Accepted);
    EXPECT_EQ(limited.addFlowTemp(flow(QStringLiteral("d"), 0, 1)), Ledger::Result::IdRateLimited);
    EXPECT_EQ(limited.counters().idRateLimited, 3u);
    EXPECT_EQ(limited.hosts().size(), 3u);
    EXPECT_FALSE(limited.job(QStringLiteral("jb")).has_value());
}

TEST_F(LedgerFaults, EndedJobsAreForgottenAndSilentHostsExpire)
{
    ledger.applyControl(control(JobStatus::Start, kJob, 0, kHost));
    ledger.addPower(power(kHost, 0, 100));
    ledger.addPower(power(kHost, 10, 100));
    ledger.applyControl(control(JobStatus::End, kJob, 10, kHost));
    ledger.addPower(power(QStringLiteral("other"), 10, 50, QStringLiteral("S")));
    ledger.addPower(power(QStringLiteral("other"), 11, 50, QStringLiteral("T")));

    // Within maxClockBehind of its end a lagging host may still split an interval at it.
    EXPECT_FALSE(ledger.evictableJobs(at(20), 3 * kSecond).contains(kJob));
    const QStringList evictable = ledger.evictableJobs(at(400), 3 * kSecond);
    EXPECT_TRUE(evictable.contains(kJob));
    EXPECT_TRUE(evictable.contains(QStringLiteral("S"))); // no host names it any more
    EXPECT_FALSE(evictable.contains(QStringLiteral("T")));
    EXPECT_FALSE(evictable.contains(QStringLiteral("idle")));
    EXPECT_FALSE(ledger.forgetJob(QStringLiteral("T"))); // still running
    EXPECT_TRUE(ledger.forgetJob(kJob));
    EXPECT_FALSE(ledger.job(kJob).has_value());
    EXPECT_EQ(ledger.counters().jobsForgotten, 1u);
    ledger.addPower(power(kHost, 11, 100)); // still accounted, now to idle
    expectRelative(job(QStringLiteral("idle")).kwh * 3.6e6, 100.0);

    EXPECT_EQ(ledger.expireHosts(at(10 + 3600)), 0);
    EXPECT_EQ(ledger.expireHosts(at(12 + 3600)), 2);
    EXPECT_TRUE(ledger.hosts().empty());
    EXPECT_FALSE(ledger.job(QStringLiteral("T"))->running); // its only host is gone
    EXPECT_EQ(ledger.counters().hostsExpired, 2u);
    EXPECT_FALSE(ledger.toJson().value(QLatin1String("hosts")).toArray().size() > 0);
}

TEST_F(LedgerFaults, ARunningJobKeepsItsSilentHost)
{
    ledger.applyControl(control(JobStatus::Start, kJob, 0, kHost));
    ledger.addPower(power(kHost, 0, 100));
    EXPECT_EQ(ledger.expireHosts(at(10'000)), 0);
    ledger.applyControl(control(JobStatus::End, kJob, 10'000, kHost));
    EXPECT_EQ(ledger.expireHosts(at(10'000)), 1);
}
