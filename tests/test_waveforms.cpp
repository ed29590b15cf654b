// core::waveforms: the simulated cooling loop at exact instants (t = seconds since the start).
#include "Waveforms.h"

#include <gtest/gtest.h>

using namespace greenpulse::core::waveforms;

namespace {
constexpr double kTolerance = 1e-12;
}

TEST(Waveforms, FlowAtQuarterPeriods)
{
    EXPECT_DOUBLE_EQ(coolingFlowLpm(0.0), 1.3);  // starts at the mean, rising
    EXPECT_DOUBLE_EQ(coolingFlowLpm(15.0), 2.5); // peak
    EXPECT_NEAR(coolingFlowLpm(30.0), 1.3, kTolerance);
    EXPECT_NEAR(coolingFlowLpm(45.0), 0.1, kTolerance); // trough
    EXPECT_NEAR(coolingFlowLpm(60.0), 1.3, kTolerance);
}

TEST(Waveforms, FlowBetweenQuarters)
{
    EXPECT_NEAR(coolingFlowLpm(5.0), 1.3 + 1.2 * 0.5, kTolerance);  // sin(pi/6) = 1/2
    EXPECT_NEAR(coolingFlowLpm(25.0), 1.3 + 1.2 * 0.5, kTolerance); // sin(5pi/6) = 1/2
    EXPECT_NEAR(coolingFlowLpm(35.0), 1.3 - 1.2 * 0.5, kTolerance);
}

TEST(Waveforms, FlowIsPeriodicAlsoForLargeAndNegativeTimes)
{
    EXPECT_NEAR(coolingFlowLpm(75.0), 2.5, kTolerance);
    EXPECT_NEAR(coolingFlowLpm(-15.0), 0.1, kTolerance);
    EXPECT_NEAR(coolingFlowLpm(86400.0 * 365 + 15.0), 2.5, 1e-9); // a year in
}

TEST(Waveforms, TemperatureTriangle)
{
    EXPECT_DOUBLE_EQ(coolantTempC(0.0), 25.0);
    EXPECT_DOUBLE_EQ(coolantTempC(30.0), 26.0);
    EXPECT_DOUBLE_EQ(coolantTempC(150.0), 30.0);
    EXPECT_DOUBLE_EQ(coolantTempC(300.0), 35.0); // top after 300 s
    EXPECT_DOUBLE_EQ(coolantTempC(330.0), 34.0);
    EXPECT_DOUBLE_EQ(coolantTempC(450.0), 30.0);
    EXPECT_DOUBLE_EQ(coolantTempC(600.0), 25.0); // back down after another 300 s
    EXPECT_DOUBLE_EQ(coolantTempC(900.0), 35.0);
    EXPECT_DOUBLE_EQ(coolantTempC(-150.0), 30.0);
}

TEST(Waveforms, StayWithinTheirRanges)
{
    for (int i = 0; i <= 12000; ++i) {
        const double t = i * 0.1;
        const double flow = coolingFlowLpm(t);
        const double temp = coolantTempC(t);
        ASSERT_GE(flow, kFlowMinLpm - kTolerance) << t;
        ASSERT_LE(flow, kFlowMaxLpm + kTolerance) << t;
        ASSERT_GE(temp, kTempMinC) << t;
        ASSERT_LE(temp, kTempMaxC) << t;
    }
}
