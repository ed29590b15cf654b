// Changing carbon intensity and PUE while jobs run (docs/accounting.md, "Carbon and water"): the
// factors in force when energy is integrated apply to it. A change applies to energy integrated
// from then on; the carbon already in the totals is never recomputed, neither when read nor after
// a restart under the new factors.
#include "LedgerTestSupport.h"
#include "TestSupport.h"
#include "accounting/Ledger.h"
#include "mqtt/MosquittoClient.h"
#include "pipeline/Processor.h"

#include <gtest/gtest.h>

using namespace greenpulse::core;
using namespace greenpulse::test;
using namespace greenpulse::test::ledger;

namespace {

constexpr double kJoulesPerKwh = 3.6e6;

LedgerConfig factors(double pue, double carbonKgPerKwh)
{
    LedgerConfig c;
    c.pue = pue;
    c.carbonKgPerKwh = carbonKgPerKwh;
    return c;
}

JobSummary jobOf(const Ledger &ledger, const QString &id)
{
    const auto j = ledger.job(id);
    EXPECT_TRUE(j.has_value()) << id.toStdString();
    return j.value_or(JobSummary{});
}

} // namespace

TEST(LedgerConfigChange, CarbonAndPueApplyToEnergyIntegratedAfterTheChangeNotToTheTotals)
{
    ManualClock clock{at(100'000)};
    Ledger ledger{factors(1.0, 0.5), clock};
    const QString h = QStringLiteral("h");
    const QString j = QStringLiteral("J");
    ledger.applyControl(control(JobStatus::Start, j, 0, h));
    // 1000 W for one hour: 1 kWh at PUE 1.0 and 0.5 kg/kWh.
    for (int t = 0; t <= 3600; t += 2) {
        ledger.addPower(power(h, t, 1000));
    }
    expectRelative(jobOf(ledger, j).kwh, 1.0);
    expectRelative(jobOf(ledger, j).co2eKg, 0.5);

    ledger.setConfig(factors(1.5, 0.2));
    // Read right after the change: the totals are as they were, not recomputed.
    EXPECT_EQ(ledger.config().pue, 1.5);
    EXPECT_EQ(ledger.config().carbonKgPerKwh, 0.2);
    expectRelative(jobOf(ledger, j).kwh, 1.0);
    expectRelative(jobOf(ledger, j).co2eKg, 0.5);

    // Another hour at 1000 W: 1 kWh at 1.5 × 0.2 = 0.3 kg on top.
    for (int t = 3602; t <= 7200; t += 2) {
        ledger.addPower(power(h, t, 1000));
    }
    expectRelative(jobOf(ledger, j).kwh, 2.0);
    expectRelative(jobOf(ledger, j).co2eKg, 0.5 + 0.3);
    EXPECT_EQ(jobOf(ledger, j).liters, 0.0); // water does not depend on either factor
}

TEST(LedgerConfigChange, AnIntervalOpenAtTheChangeTakesTheFactorsInForceWhenItCloses)
{
    // An interval is integrated when its closing sample arrives: energy drawn before the change
    // but integrated after it takes the new factors.
    ManualClock clock{at(100'000)};
    Ledger ledger{factors(1.0, 1.0), clock};
    const QString h = QStringLiteral("h");
    const QString j = QStringLiteral("J");
    ledger.applyControl(control(JobStatus::Start, j, 0, h));
    ledger.addPower(power(h, 0, 3600));
    ledger.addPower(power(h, 10, 3600)); // (0, 10]: 36 kJ = 0.01 kWh at 1 kg/kWh
    ledger.setConfig(factors(2.0, 0.5));
    ledger.addPower(power(h, 20, 3600)); // (10, 20]: 0.01 kWh at 2 × 0.5 = 1 kg/kWh
    ledger.setConfig(factors(3.0, 1.0));
    ledger.addPower(power(h, 30, 3600)); // (20, 30]: 0.01 kWh at 3 kg/kWh
    const JobSummary job = jobOf(ledger, j);
    expectRelative(job.kwh, 3 * 36'000.0 / kJoulesPerKwh);
    expectRelative(job.co2eKg, 0.01 * 1.0 + 0.01 * 1.0 + 0.01 * 3.0);
}

TEST(LedgerConfigChange, ARestartUnderNewFactorsKeepsTheCarbonAlreadyAccounted)
{
    ManualClock clock{at(100'000)};
    const QString h = QStringLiteral("h");
    const QString j = QStringLiteral("J");
    QJsonObject saved;
    {
        Ledger ledger{factors(1.0, 0.5), clock};
        ledger.applyControl(control(JobStatus::Start, j, 0, h));
        for (int t = 0; t <= 3600; t += 2) {
            ledger.addPower(power(h, t, 1000));
        }
        saved = ledger.toJson();
    }
    Ledger restored{factors(2.0, 1.0), clock};
    QString error;
    ASSERT_TRUE(restored.restore(saved, &error)) << error.toStdString();
    expectRelative(jobOf(restored, j).kwh, 1.0);
    expectRelative(jobOf(restored, j).co2eKg, 0.5);
    // The first interval after a restore is uncovered (docs/accounting.md, "Restarts"); the next
    // hour is integrated at 2 × 1.0 kg/kWh.
    restored.addPower(power(h, 3602, 1000));
    for (int t = 3604; t <= 7202; t += 2) {
        restored.addPower(power(h, t, 1000));
    }
    expectRelative(jobOf(restored, j).kwh, 2.0);
    expectRelative(jobOf(restored, j).co2eKg, 0.5 + 2.0);
}

TEST(LedgerConfigChange, ProcessorApplyConfigShowsTheNewFactorsAndKeepsTodaysCarbon)
{
    // Through the processor, as the dashboard's settings apply it: the snapshot shows the new
    // factors at once; the job's and today's carbon are 90 s at the old factors plus 90 s at
    // the new ones.
    ManualClock clock{kT0 + 200 * kSecond};
    Ledger ledger{factors(1.0, 0.5), clock};
    MosquittoClient mqtt{MqttOptions{}}; // never connected: messages are fed directly
    ProcessorOptions options;
    options.subscribe = false;
    Processor processor(ledger, mqtt, clock, options);
    ASSERT_TRUE(processor.start());
    const QString j = QStringLiteral("J");
    processor.handleMessage(QByteArray(topics::kControl), controlJson(JobStatus::Start, "J", 0));
    auto feed = [&](int from, int to) {
        for (int t = from; t <= to; ++t) {
            processor.handleMessage(QByteArray(topics::kPower), powerJson("h", t, 1000));
        }
    };
    const double kwhPer90s = 90 * 1000.0 / kJoulesPerKwh;
    feed(0, 90);
    expectRelative(jobOf(ledger, j).co2eKg, kwhPer90s * 0.5);

    processor.applyConfig(factors(2.0, 0.25));
    const auto snapshot = processor.snapshot();
    EXPECT_EQ(snapshot->config.pue, 2.0);
    EXPECT_EQ(snapshot->config.carbonKgPerKwh, 0.25);
    expectRelative(jobOf(ledger, j).co2eKg, kwhPer90s * 0.5);

    feed(91, 180);
    processor.stop(); // its last tick moves what grew since the start into today's totals
    const JobSummary job = jobOf(ledger, j);
    expectRelative(job.kwh, 2 * kwhPer90s);
    expectRelative(job.co2eKg, kwhPer90s * 0.5 + kwhPer90s * 2.0 * 0.25);
    expectRelative(processor.snapshot()->today.kwh, 2 * kwhPer90s);
    expectRelative(processor.snapshot()->today.co2eKg, job.co2eKg);
}
