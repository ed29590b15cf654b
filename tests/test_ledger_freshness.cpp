// Freshness in the ledger's summaries (docs/accounting.md, "Silent hosts"): when a host was last
// heard from on our clock, and a running job's coverage counted up to now.
#include "LedgerTestSupport.h"
#include "accounting/Ledger.h"

#include <gtest/gtest.h>

using namespace greenpulse::core;
using namespace greenpulse::test::ledger;

namespace {

const QString kJob = QStringLiteral("J");
const QString kHost = QStringLiteral("h");

HostSummary hostNamed(const Ledger &ledger, const QString &name)
{
    for (const HostSummary &h : ledger.hosts()) {
        if (h.host == name) {
            return h;
        }
    }
    ADD_FAILURE() << "no host " << name.toStdString();
    return {};
}

} // namespace

TEST(LedgerFreshness, LastHeardIsOurReceiptTimeNotTheSamplesTimestamp)
{
    ManualClock clock(at(1000));
    Ledger ledger(LedgerConfig{}, clock);
    // A host whose clock runs 200 s behind (within --max-clock-behind-s: not re-stamped).
    ASSERT_EQ(ledger.addPower(receivedAt(power(kHost, 800, 100), 1000)), Ledger::Result::Accepted);
    const HostSummary h = hostNamed(ledger, kHost);
    EXPECT_EQ(h.lastSeenNs, at(800));
    EXPECT_EQ(h.lastHeardNs, at(1000));
    // Fed without a receipt time (tests, replays): heard now, on the ledger's clock.
    clock.set(at(1005));
    ASSERT_EQ(ledger.addPower(power(kHost, 801, 100)), Ledger::Result::Accepted);
    EXPECT_EQ(hostNamed(ledger, kHost).lastHeardNs, at(1005));
}

TEST(LedgerFreshness, ARunningJobsCoverageFallsWhileItsHostIsSilent)
{
    ManualClock clock(at(0));
    LedgerConfig config;
    config.maxGapSeconds = 10;
    Ledger ledger(config, clock);
    ledger.applyControl(control(JobStatus::Start, kJob, 0, kHost));
    for (int t = 0; t <= 20; ++t) {
        clock.set(at(t));
        ASSERT_EQ(ledger.addPower(power(kHost, t, 400)), Ledger::Result::Accepted);
    }
    JobSummary j = *ledger.job(kJob);
    EXPECT_DOUBLE_EQ(j.coverage, 1.0);
    EXPECT_DOUBLE_EQ(j.coveredSeconds, 20.0);

    clock.set(at(30)); // silent for 10 s: within the gap that is still integrated
    j = *ledger.job(kJob);
    EXPECT_DOUBLE_EQ(j.coverage, 1.0);
    EXPECT_DOUBLE_EQ(j.silentSeconds, 0.0);

    clock.set(at(40)); // silent for 20 s: that interval will not be integrated
    j = *ledger.job(kJob);
    EXPECT_DOUBLE_EQ(j.silentSeconds, 20.0);
    EXPECT_DOUBLE_EQ(j.coverage, 20.0 / 40.0);
    EXPECT_DOUBLE_EQ(j.uncoveredSeconds, 0.0) << "the stored totals are untouched";
    clock.set(at(60));
    EXPECT_DOUBLE_EQ(ledger.job(kJob)->coverage, 20.0 / 60.0) << "and it keeps falling";
    EXPECT_DOUBLE_EQ(ledger.jobs().back().coverage, 20.0 / 60.0) << "jobs() says the same";

    // The host speaks again: the gap is integrated as uncovered, nothing counted twice.
    ASSERT_EQ(ledger.addPower(power(kHost, 60, 400)), Ledger::Result::Accepted);
    j = *ledger.job(kJob);
    EXPECT_DOUBLE_EQ(j.silentSeconds, 0.0);
    EXPECT_DOUBLE_EQ(j.uncoveredSeconds, 40.0);
    EXPECT_DOUBLE_EQ(j.coverage, 20.0 / 60.0);

    // An ended job's coverage is what was integrated, however long its host stays silent.
    ledger.applyControl(control(JobStatus::End, kJob, 60, kHost));
    clock.set(at(600));
    j = *ledger.job(kJob);
    EXPECT_FALSE(j.running);
    EXPECT_DOUBLE_EQ(j.silentSeconds, 0.0);
    EXPECT_DOUBLE_EQ(j.coverage, 20.0 / 60.0);
}

TEST(LedgerFreshness, AfterARestoreAHostIsJudgedByItsLastSample)
{
    ManualClock clock(at(100));
    Ledger ledger(LedgerConfig{}, clock);
    ASSERT_EQ(ledger.addPower(receivedAt(power(kHost, 99, 100), 100)), Ledger::Result::Accepted);
    Ledger restored(LedgerConfig{}, clock);
    QString error;
    ASSERT_TRUE(restored.restore(ledger.toJson(), &error)) << error.toStdString();
    EXPECT_EQ(hostNamed(restored, kHost).lastHeardNs, at(99));
}
