// The water rule reproduces Li, Yang, Islam and Ren, "Making AI Less 'Thirsty': Uncovering and
// Addressing the Secret Water Footprint of AI Models" (arXiv 2304.03271), Table 1, GPT-3 training
// in Microsoft's U.S. data centers, from the paper's own inputs:
//   - training energy: 1287 MWh (IT energy; Patterson et al. 2021, as the paper takes it),
//   - U.S. average PUE 1.17, on-site WUE 0.55 L/kWh, off-site EWIF 3.14 L/kWh,
//   - on-site water = energy x WUE, off-site water = energy x PUE x EWIF (the paper's eqs.).
// The paper's results: on-site ~0.7 million L, off-site ~4.7 million L, total ~5.4 million L.
// The same numbers through the Ledger: 1287 MWh integrated on one host under those factors.
#include "LedgerTestSupport.h"
#include "accounting/Ledger.h"

#include <gtest/gtest.h>

using namespace greenpulse::core;
using namespace greenpulse::test;
using namespace greenpulse::test::ledger;

namespace {

constexpr double kGpt3TrainingMwh = 1287;
constexpr double kUsPue = 1.17;
constexpr double kPaperOnsiteMillionL = 0.7;
constexpr double kPaperTotalMillionL = 5.4;

void expectWithin5Percent(double actual, double expected)
{
    EXPECT_NEAR(actual, expected, expected * 0.05) << actual << " vs the paper's " << expected;
}

} // namespace

TEST(WaterLi2023, Gpt3TrainingWaterFromThePapersInputsThroughTheLedger)
{
    ManualClock clock{at(0)};
    LedgerConfig cfg;
    cfg.pue = kUsPue; // WUE and EWIF: the defaults are the paper's U.S. averages
    EXPECT_EQ(cfg.footprint.wueLPerKwh, 0.55);
    EXPECT_EQ(cfg.footprint.ewifLPerKwh, 3.14);
    Ledger ledger{cfg, clock};
    const QString job = QStringLiteral("gpt-3");
    ledger.applyControl(control(JobStatus::Start, job, 0, QStringLiteral("cluster")));
    // 1287 MWh as a constant power over 15 days, one sample every 5 s.
    const double seconds = 15 * 24 * 3600.0;
    const double watts = kGpt3TrainingMwh * 3.6e9 / seconds;
    for (double t = 0; t <= seconds; t += 5) {
        ledger.addPower(power(QStringLiteral("cluster"), t, watts));
    }
    const JobSummary j = ledger.job(job).value_or(JobSummary{});
    expectRelative(j.kwh, kGpt3TrainingMwh * 1000, 1e-9);
    const double onsiteMillionL = j.footprint.waterOnsiteL / 1e6;
    const double totalMillionL = j.footprint.waterL() / 1e6;
    expectWithin5Percent(onsiteMillionL, kPaperOnsiteMillionL);
    expectWithin5Percent(totalMillionL, kPaperTotalMillionL);
    // The exact products: 1287e3 x 0.55 = 707,850 L; 1287e3 x 1.17 x 3.14 = 4,728,196 L.
    expectRelative(j.footprint.waterOnsiteL, 707'850, 1e-9);
    expectRelative(j.footprint.waterOffsiteL, 1287e3 * 1.17 * 3.14, 1e-9);
}
