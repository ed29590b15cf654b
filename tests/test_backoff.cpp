// core/base/Backoff: the one retry backoff (MQTT reconnect, InfluxDB writer), deterministic under
// an injected random source, with the same delays as the two backoffs it replaced.

#include "base/Backoff.h"
#include "influx/InfluxRequests.h"
#include "mqtt/MosquittoClient.h"

#include <gtest/gtest.h>
#include <vector>

using greenpulse::core::Backoff;

namespace {

// Always the lowest or always the highest value allowed.
quint32 lowest(quint32)
{
    return 0;
}
quint32 highest(quint32 bound)
{
    return bound - 1;
}

// The MQTT client's reconnect policy.
Backoff::Policy mqttPolicy(int minMs, int maxMs)
{
    greenpulse::core::MqttOptions options;
    options.reconnectMinMs = minMs;
    options.reconnectMaxMs = maxMs;
    return greenpulse::core::MosquittoClient::reconnectPolicy(options);
}

} // namespace

TEST(Backoff, InfluxStepsDoubleUpToTheMaxWithEqualJitter)
{
    const std::vector<int> steps = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
    Backoff low(greenpulse::core::influxhttp::retryBackoffPolicy(), lowest);
    Backoff high(greenpulse::core::influxhttp::retryBackoffPolicy(), highest);
    for (const int step : steps) {
        EXPECT_EQ(low.next(), step / 2);
        EXPECT_EQ(low.stepMs(), step);
        EXPECT_EQ(high.next(), step);
    }
    low.reset();
    EXPECT_EQ(low.stepMs(), 0);
    EXPECT_EQ(low.next(), 250);
}

// The writer's old formula was `backoff / 2 + bounded(backoff / 2 + 1)` after doubling
// `backoff == 0 ? initial : min(2 * backoff, max)`: for the same draws, the same delays.
TEST(Backoff, InfluxDelaysEqualTheWritersOldFormula)
{
    std::vector<quint32> draws = {0, 7, 123, 999, 4, 2500, 1, 14999, 3, 77};
    size_t i = 0;
    Backoff backoff(greenpulse::core::influxhttp::retryBackoffPolicy(),
                    [&](quint32 bound) { return draws[i++ % draws.size()] % bound; });
    int old = 0;
    for (size_t n = 0; n < draws.size(); ++n) {
        old = old == 0 ? 500 : qMin(old * 2, 30000);
        const quint32 r = draws[n] % static_cast<quint32>(old / 2 + 1);
        EXPECT_EQ(backoff.next(), old / 2 + static_cast<int>(r)) << "attempt " << n;
    }
}

TEST(Backoff, RetryAfterReplacesTheStepWithAQuarterSecondOfJitter)
{
    Backoff low(greenpulse::core::influxhttp::retryBackoffPolicy(), lowest);
    Backoff high(greenpulse::core::influxhttp::retryBackoffPolicy(), highest);
    EXPECT_EQ(low.next(1000), 1000);
    EXPECT_EQ(high.next(1000), 1249);
    EXPECT_EQ(high.next(0), 249);
    EXPECT_EQ(high.stepMs(), 1000); // the step advanced all the same
    EXPECT_EQ(high.next(-1), 2000); // absent: the backoff
}

TEST(Backoff, MqttReconnectIsPlusMinusTwentyPercentAndARefusalGoesToTheMax)
{
    Backoff low(mqttPolicy(250, 10000), lowest);
    Backoff high(mqttPolicy(250, 10000), highest);
    EXPECT_EQ(low.next(), 200);
    EXPECT_EQ(high.next(), 300);
    EXPECT_EQ(low.next(), 400);
    EXPECT_EQ(high.next(), 600);
    // A refusal: straight to the slowest pace, and it stays there.
    EXPECT_EQ(low.nextAtMax(), 8000);
    EXPECT_EQ(high.nextAtMax(), 12000);
    EXPECT_EQ(low.next(), 8000);
    EXPECT_EQ(low.stepMs(), 10000);
    // From a fresh start too (the old client: `permanent ? max : ...`).
    Backoff fresh(mqttPolicy(250, 10000), lowest);
    EXPECT_EQ(fresh.nextAtMax(), 8000);
    fresh.reset();
    EXPECT_EQ(fresh.next(), 200);
}

// The old client: `qMax(1, int(step * (0.8 + 0.4 * u)))`, u in [0, 1): every delay of the shared
// backoff lies in the same range.
TEST(Backoff, DefaultRandomSourceStaysInRange)
{
    Backoff backoff(mqttPolicy(250, 10000));
    for (int n = 0; n < 2000; ++n) {
        if (n % 10 == 0) {
            backoff.reset();
        }
        const int delay = backoff.next();
        EXPECT_GE(delay, backoff.stepMs() * 8 / 10);
        EXPECT_LE(delay, backoff.stepMs() * 12 / 10);
    }
}

TEST(Backoff, LimitsAreAtLeastOneAndMaxAtLeastInitial)
{
    Backoff backoff(mqttPolicy(0, 0), highest);
    EXPECT_EQ(backoff.policy().initialMs, 1);
    EXPECT_EQ(backoff.policy().maxMs, 1);
    EXPECT_GE(backoff.next(), 1);
    backoff.setLimits(50, 20); // the writer's setRetryBackoff(initial, max)
    EXPECT_EQ(backoff.policy().initialMs, 50);
    EXPECT_EQ(backoff.policy().maxMs, 50);
    Backoff small(greenpulse::core::influxhttp::retryBackoffPolicy(), lowest);
    small.setLimits(1, 1);
    EXPECT_EQ(small.next(), 1); // never a zero delay
}
