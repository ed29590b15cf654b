// core/base/LogThrottle: at most one line per interval (with the count held back), per message,
// or once per change of state.

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

// The InfluxDB writer's problems: the same message within the interval is counted, and logged
// with its count once the interval is over; a different message is logged at once.
TEST(LogThrottle, PerMessageCountsRepeatsOfTheSameMessageOnly)
{
    LogThrottle throttle(60000);
    const QString a = QStringLiteral("InfluxDB write failed (HTTP 503)");
    const QString b = QStringLiteral("InfluxDB write failed (connection refused)");
    EXPECT_TRUE(throttle.allow(a, 0));
    EXPECT_EQ(throttle.suppressed(), 0u);
    EXPECT_FALSE(throttle.allow(a, 1000));
    EXPECT_FALSE(throttle.allow(a, 59999));
    EXPECT_TRUE(throttle.allow(a, 60000));
    EXPECT_EQ(throttle.suppressed(), 2u); // logged as "(3 times)"
    EXPECT_EQ(throttle.coveredMs(), 60000);
    EXPECT_FALSE(throttle.allow(a, 60001));
    EXPECT_TRUE(throttle.allow(b, 60002)); // another message: at once, without a count
    EXPECT_EQ(throttle.suppressed(), 0u);
    EXPECT_EQ(throttle.coveredMs(), 0);
    EXPECT_TRUE(throttle.allow(a, 60003)); // and back: at once too
    EXPECT_EQ(throttle.suppressed(), 0u);
}

// The MQTT client's "still cannot connect": a change of state is logged anyway, so the next
// repeat waits a whole interval after it.
TEST(LogThrottle, RestartStartsTheIntervalAgain)
{
    LogThrottle throttle(30000);
    throttle.restart(1000);
    EXPECT_FALSE(throttle.allow(2000));
    EXPECT_TRUE(throttle.allow(31000));
    throttle.restart(40000);
    EXPECT_FALSE(throttle.allow(69999));
    EXPECT_TRUE(throttle.allow(70000));
    EXPECT_EQ(throttle.suppressed(), 1u);
}

// The state file, the control journal and the spool: one line when failing starts, one when it
// ends, with the failures in between counted.
TEST(LogThrottle, OncePerChangeOfState)
{
    LogThrottle throttle;
    EXPECT_FALSE(throttle.recover()); // nothing to recover from
    EXPECT_FALSE(throttle.isFailing());
    EXPECT_TRUE(throttle.fail());
    EXPECT_TRUE(throttle.isFailing());
    for (int i = 0; i < 4; ++i) {
        EXPECT_FALSE(throttle.fail());
    }
    EXPECT_EQ(throttle.failuresInARow(), 5u);
    EXPECT_TRUE(throttle.recover());
    EXPECT_EQ(throttle.failuresInARow(), 5u); // for the recovery line
    EXPECT_FALSE(throttle.isFailing());
    EXPECT_FALSE(throttle.recover());
    EXPECT_TRUE(throttle.fail()); // a new failing period is said again
    EXPECT_EQ(throttle.failuresInARow(), 1u);
    EXPECT_EQ(throttle.failures(), 6u);
}
