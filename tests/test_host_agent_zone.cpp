// greenpulse-host-agent --zone: the grid zone in every power sample (docs/protocol.md, "Grid
// carbon intensity"), checked by the decoder's rule before anything is sent; against a real
// mosquitto.
#include "HostAgent.h"
#include "MosquittoBroker.h"
#include "RecordingMqttClient.h"
#include "Samples.h"
#include "TestSupport.h"
#include "protocol/Protocol.h"

#include <QRandomGenerator>
#include <gtest/gtest.h>

using namespace greenpulse;

namespace {

const QString kHost = QStringLiteral("zonehost");

QStringList agentArgs(const QString &brokerUrl, const QStringList &extra)
{
    return QStringList{QStringLiteral("--broker"),      brokerUrl,
                       QStringLiteral("--host"),        kHost,
                       QStringLiteral("--count"),       QStringLiteral("3"),
                       QStringLiteral("--interval-ms"), QStringLiteral("100")} +
           extra;
}

QList<core::PowerSample> powerSamples(test::MosquittoSubscriber &sub)
{
    QList<core::PowerSample> out;
    for (const auto &[topic, payload] : sub.messages()) {
        const core::Decoded d = core::decode(topic, payload, test::nowNs());
        if (const auto *s = std::get_if<core::PowerSample>(&d)) {
            out.append(*s);
        }
    }
    return out;
}

} // namespace

TEST(HostAgentZone, SampleCarriesTheZoneOnlyWhenSet)
{
    test::RecordingMqttClient client;
    core::ManualClock clock(test::kT0);
    QRandomGenerator random(7);
    sim::HostAgent::Settings settings;
    settings.host = QStringLiteral("gpu01");
    sim::HostAgent plain(client, settings, random, clock);
    EXPECT_TRUE(plain.sample(test::kT0).zone.isEmpty());
    EXPECT_FALSE(core::encode(plain.sample(test::kT0)).contains("\"zone\""));

    settings.zone = QStringLiteral("GB-13");
    sim::HostAgent zoned(client, settings, random, clock);
    const core::PowerSample s = zoned.sample(test::kT0);
    EXPECT_EQ(s.zone, QStringLiteral("GB-13"));
    const core::Decoded d = core::decode(core::topics::powerForHost(s.host), core::encode(s), 1);
    ASSERT_TRUE(std::holds_alternative<core::PowerSample>(d));
    EXPECT_EQ(std::get<core::PowerSample>(d).zone, QStringLiteral("GB-13"));
}

TEST(HostAgentZone, ZoneProblemFollowsTheDecoder)
{
    EXPECT_FALSE(sim::HostAgent::zoneProblem(kHost, QStringLiteral("US-CAL-CISO")).has_value());
    EXPECT_TRUE(sim::HostAgent::zoneProblem(kHost, QStringLiteral("a/b")).has_value());
    EXPECT_TRUE(sim::HostAgent::zoneProblem(kHost, QString(300, QLatin1Char('z'))).has_value());
}

TEST(HostAgentZone, PublishesTheZoneThroughARealBroker)
{
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    test::MosquittoSubscriber sub;
    ASSERT_TRUE(sub.start(broker.url()));
    const test::ProcessResult r =
        test::run(test::binary(QStringLiteral("greenpulse-host-agent")),
                  agentArgs(broker.url(), {QStringLiteral("--zone"), QStringLiteral("DE")}), 20000);
    ASSERT_EQ(r.exitCode, 0) << r.err.toStdString();
    QList<core::PowerSample> samples;
    ASSERT_TRUE(test::waitUntil([&] { return (samples = powerSamples(sub)).size() >= 3; }, 5000));
    for (const core::PowerSample &s : samples) {
        EXPECT_EQ(s.host, kHost);
        EXPECT_EQ(s.zone, QStringLiteral("DE"));
    }
}

TEST(HostAgentZone, ABadZoneStopsTheAgentBeforeItSendsAnything)
{
    // No broker needed: the agent refuses the option first (exit code 2, the zone named).
    const test::ProcessResult r =
        test::run(test::binary(QStringLiteral("greenpulse-host-agent")),
                  agentArgs(QStringLiteral("tcp://127.0.0.1:1"),
                            {QStringLiteral("--zone"), QStringLiteral("x/y")}),
                  20000);
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains("--zone \"x/y\"")) << r.err.toStdString();
}
