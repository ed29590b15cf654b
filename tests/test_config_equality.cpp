// Config equality beside the config structs (the dashboard applies a config only when it
// changed): every field takes part.
#include "accounting/LedgerConfig.h"
#include "influx/InfluxOptions.h"
#include "mqtt/MqttClient.h"

#include <functional>
#include <gtest/gtest.h>
#include <vector>

using namespace greenpulse::core;

namespace {

template <typename Config>
void expectEveryFieldCounts(const std::vector<std::function<void(Config &)>> &changes)
{
    const Config base;
    EXPECT_TRUE(base == Config{});
    EXPECT_FALSE(base != Config{});
    for (size_t i = 0; i < changes.size(); ++i) {
        Config other;
        changes[i](other);
        EXPECT_FALSE(base == other) << "field change " << i;
        EXPECT_TRUE(base != other) << "field change " << i;
        Config same;
        changes[i](same);
        EXPECT_TRUE(other == same) << "field change " << i;
    }
}

} // namespace

TEST(ConfigEquality, LedgerConfig)
{
    expectEveryFieldCounts<LedgerConfig>({
        [](LedgerConfig &c) { c.maxGapSeconds += 1; },
        [](LedgerConfig &c) { c.pue += 0.1; },
        [](LedgerConfig &c) { c.carbonKgPerKwh += 0.1; },
        [](LedgerConfig &c) { c.maxClockAheadSeconds += 1; },
        [](LedgerConfig &c) { c.maxClockBehindSeconds += 1; },
        [](LedgerConfig &c) { c.maxHosts += 1; },
        [](LedgerConfig &c) { c.maxJobs += 1; },
        [](LedgerConfig &c) { c.maxNewIdsPerMinute += 1; },
        [](LedgerConfig &c) { c.hostExpirySeconds += 1; },
    });
    EXPECT_NE(LedgerConfig::forReplay(), LedgerConfig{});
}

TEST(ConfigEquality, InfluxOptions)
{
    expectEveryFieldCounts<InfluxOptions>({
        [](InfluxOptions &o) { o.url = QStringLiteral("http://db:8086"); },
        [](InfluxOptions &o) { o.api = InfluxOptions::Api::V2; },
        [](InfluxOptions &o) { o.org = QStringLiteral("org"); },
        [](InfluxOptions &o) { o.bucket = QStringLiteral("b"); },
        [](InfluxOptions &o) { o.database = QStringLiteral("d"); },
        [](InfluxOptions &o) { o.retentionPolicy = QStringLiteral("rp"); },
        [](InfluxOptions &o) { o.token = QStringLiteral("t"); },
        [](InfluxOptions &o) { o.username = QStringLiteral("u"); },
        [](InfluxOptions &o) { o.password = QStringLiteral("p"); },
        [](InfluxOptions &o) { o.spoolDir = QStringLiteral("/tmp/s"); },
        [](InfluxOptions &o) { o.spoolMaxBytes += 1; },
        [](InfluxOptions &o) { o.flushIntervalMs += 1; },
        [](InfluxOptions &o) { o.maxBatchLines += 1; },
        [](InfluxOptions &o) { o.gzip = !o.gzip; },
        [](InfluxOptions &o) { o.writerMode = InfluxOptions::WriterMode::Never; },
    });
}

TEST(ConfigEquality, MqttOptions)
{
    expectEveryFieldCounts<MqttOptions>({
        [](MqttOptions &o) { o.brokerUrl = QStringLiteral("tcp://other:1883"); },
        [](MqttOptions &o) { o.clientId = QStringLiteral("id"); },
        [](MqttOptions &o) { o.username = QStringLiteral("u"); },
        [](MqttOptions &o) { o.password = QStringLiteral("p"); },
        [](MqttOptions &o) { o.caFile = QStringLiteral("/ca.pem"); },
        [](MqttOptions &o) { o.keepAliveSeconds += 1; },
        [](MqttOptions &o) { o.cleanSession = !o.cleanSession; },
        [](MqttOptions &o) { o.willTopic = "t"; },
        [](MqttOptions &o) { o.willPayload = "offline"; },
        [](MqttOptions &o) { o.willRetain = !o.willRetain; },
        [](MqttOptions &o) { o.willQos = 0; },
        [](MqttOptions &o) { o.onlinePayload = "online"; },
        [](MqttOptions &o) { o.reconnectMinMs += 1; },
        [](MqttOptions &o) { o.reconnectMaxMs += 1; },
        [](MqttOptions &o) { o.maxPendingPublishes += 1; },
    });
}
