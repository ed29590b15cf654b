// core/base/LogThrottle: at most one line per interval, with the count held back.

#include "base/LogThrottle.h"

#include <gtest/gtest.h>

using greenpulse::core::LogThrottle;

TEST(LogThrottle, FirstCallLogsThenAtMostOncePerInterval)
{
    LogThrottle throttle(10000);
    EXPECT_TRUE(throttle.allow(1000));
    EXPECT_EQ(throttle.suppressed(), 0u);
    EXPECT_EQ(throttle.coveredMs(), 0);
    for (qint64 t = 1001; t < 11000; t += 10) {
        EXPECT_FALSE(throttle.allow(t));
    }
    EXPECT_TRUE(throttle.allow(11000));
    EXPECT_EQ(throttle.suppressed(), 1000u);
    EXPECT_EQ(throttle.coveredMs(), 10000);
    EXPECT_FALSE(throttle.allow(11001));
    // A quiet spell: the next call logs at once and covers the whole spell.
    EXPECT_TRUE(throttle.allow(95000));
    EXPECT_EQ(throttle.suppressed(), 1u);
    EXPECT_EQ(throttle.coveredMs(), 84000);
}

TEST(LogThrottle, SteadyClockOverload)
{
    LogThrottle throttle(60000);
    EXPECT_TRUE(throttle.allow());
    EXPECT_FALSE(throttle.allow());
    EXPECT_FALSE(throttle.allow());
    EXPECT_EQ(throttle.intervalMs(), 60000);
}
