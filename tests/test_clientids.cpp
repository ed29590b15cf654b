// Client ids (docs/protocol.md, "Client ids"): every instance gets its own default id, stable
// across restarts, and a takeover of an id (another client connects with it) is detected and
// named. Against a real mosquitto.
#include "MosquittoBroker.h"
#include "TestSupport.h"
#include "mqtt/MosquittoClient.h"
#include "mqtt/TakeoverDetector.h"
#include "options/ClientIds.h"
#include "options/OptionNames.h"
#include "options/Options.h"

#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <gtest/gtest.h>
#include <memory>

using namespace greenpulse::core;
namespace test = greenpulse::test;

namespace {

MqttOptions fastOptions(const QString &url, const QString &clientId)
{
    MqttOptions o;
    o.brokerUrl = url;
    o.clientId = clientId;
    o.reconnectMinMs = 100;
    o.reconnectMaxMs = 1000;
    return o;
}

bool parseOptions(Options &options, const QStringList &args)
{
    int exitCode = 0;
    return options.parse(QStringList{QStringLiteral("greenpulse-processor")} + args, &exitCode,
                         QProcessEnvironment());
}

} // namespace

TEST(ClientIds, BaseKeepsToCharactersEveryBrokerAccepts)
{
    EXPECT_EQ(ClientIds::base(QStringLiteral("greenpulse"), QStringLiteral("gpu-05.lab")),
              QStringLiteral("greenpulse-gpu-05.lab"));
    EXPECT_EQ(ClientIds::base(QStringLiteral("greenpulse"), QStringLiteral("a b/c+#")),
              QStringLiteral("greenpulse-a_b_c__"));
}

TEST(ClientIds, SecondInstanceGetsTheNextIdAndAFreedIdIsReused)
{
    QTemporaryDir dir;
    const QString base = QStringLiteral("greenpulse-testhost");
    const QString broker = QStringLiteral("tcp://127.0.0.1:1883");
    auto first = std::make_unique<ClientIds>(dir.path());
    EXPECT_EQ(first->claim(base, broker), base);
    EXPECT_EQ(first->claim(base, broker), base) << "the same instance keeps its id";
    ClientIds second(dir.path());
    EXPECT_EQ(second.claim(base, broker), base + QStringLiteral("-2"));
    EXPECT_EQ(second.claim(base, QStringLiteral("tcp://127.0.0.1:1884")), base)
        << "another broker: no competition";
    first.reset(); // the first instance exits: its id is free for the next one (a restart)
    ClientIds third(dir.path());
    EXPECT_EQ(third.claim(base, broker), base);
}

TEST(ClientIds, OptionsGiveTwoInstancesTwoIdsUnlessOneIsSet)
{
    const QString broker = QStringLiteral("tcp://127.0.0.1:%1").arg(test::freePort());
    Options a(QStringLiteral("greenpulse-processor"), Options::Mqtt);
    Options b(QStringLiteral("greenpulse-processor"), Options::Mqtt);
    ASSERT_TRUE(parseOptions(a, {QStringLiteral("--broker"), broker}));
    ASSERT_TRUE(parseOptions(b, {QStringLiteral("--broker"), broker}));
    const QString idA = a.mqttOptions().clientId;
    EXPECT_TRUE(idA.startsWith(QStringLiteral("greenpulse-processor-"))) << qPrintable(idA);
    EXPECT_EQ(a.mqttOptions().clientId, idA) << "stable within an instance";
    EXPECT_NE(b.mqttOptions().clientId, idA);

    Options c(QStringLiteral("greenpulse-processor"), Options::Mqtt);
    ASSERT_TRUE(
        parseOptions(c, {QStringLiteral("--broker"), broker, QStringLiteral("--client-id"), idA}));
    EXPECT_EQ(c.mqttOptions().clientId, idA) << "an explicit id is used as it is";
}

TEST(TakeoverDetector, ShortConnectionsInARowAreATakeover)
{
    TakeoverDetector d(1000);
    EXPECT_EQ(d.shortWindowMs(), TakeoverDetector::kMinShortMs);
    EXPECT_FALSE(d.lost(0, 7)) << "a failed attempt is no lost connection";
    d.connected(0);
    EXPECT_FALSE(d.lost(3'600'000, 7)) << "an hour-long connection lost: an outage";
    d.connected(3'600'100);
    EXPECT_FALSE(d.lost(3'600'400, 7)) << "one short connection is not enough";
    d.connected(3'600'700);
    EXPECT_TRUE(d.lost(3'601'000, 7));
    EXPECT_EQ(d.count(), 1u);
    d.connected(3'611'000);
    EXPECT_TRUE(d.suspectedAt(3'612'000));
    EXPECT_FALSE(d.suspectedAt(3'611'000 + TakeoverDetector::kMinShortMs))
        << "a connection that lasts the whole window clears it";

    // A broker restarting twice: between the short connections an attempt fails (it was down).
    TakeoverDetector restarts(1000);
    restarts.connected(0);
    EXPECT_FALSE(restarts.lost(1000, 7));
    EXPECT_FALSE(restarts.lost(1300, 7)) << "refused while the broker is down";
    restarts.connected(1600);
    EXPECT_FALSE(restarts.lost(2000, 7));
    EXPECT_FALSE(restarts.suspected());
    EXPECT_EQ(restarts.count(), 0u);

    TakeoverDetector v5;
    v5.connected(0);
    EXPECT_TRUE(v5.lost(60'000, TakeoverDetector::kSessionTakenOver)) << "MQTT 5 says so";
}

TEST(ClientIds, TwoClientsWithOneExplicitIdNameTheTakeover)
{
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
    const QString id = QStringLiteral("greenpulse-shared-id");
    MosquittoClient first(fastOptions(broker.url(), id));
    first.connectToBroker();
    ASSERT_TRUE(
        test::waitUntil([&] { return first.state() == ConnectionState::Connected; }, 10000));
    MosquittoClient second(fastOptions(broker.url(), id));
    second.connectToBroker();
    ASSERT_TRUE(test::waitUntil(
        [&] { return !first.takeoverWarning().isEmpty() || !second.takeoverWarning().isEmpty(); },
        20000))
        << "first: " << qPrintable(first.lastError())
        << "; second: " << qPrintable(second.lastError());
    MosquittoClient &kicked = first.takeoverWarning().isEmpty() ? second : first;
    EXPECT_TRUE(
        kicked.takeoverWarning().contains(QStringLiteral("another client uses the id ") + id))
        << qPrintable(kicked.takeoverWarning());
    EXPECT_GE(kicked.counters().takeovers, 1u);
    EXPECT_EQ(kicked.state(), ConnectionState::Error) << "and it stops fighting at full speed";
}

TEST(ClientIds, TwoInstancesWithoutAnIdDoNotKickEachOther)
{
    test::MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << qPrintable(broker.lastError());
    Options a(QStringLiteral("greenpulse"), Options::Mqtt);
    Options b(QStringLiteral("greenpulse"), Options::Mqtt);
    ASSERT_TRUE(parseOptions(a, {QStringLiteral("--broker"), broker.url()}));
    ASSERT_TRUE(parseOptions(b, {QStringLiteral("--broker"), broker.url()}));
    MqttOptions oa = a.mqttOptions();
    MqttOptions ob = b.mqttOptions();
    oa.cleanSession = ob.cleanSession = false; // as the dashboard and the processor
    oa.reconnectMinMs = ob.reconnectMinMs = 100;
    MosquittoClient first(oa);
    MosquittoClient second(ob);
    first.connectToBroker();
    second.connectToBroker();
    ASSERT_TRUE(test::waitUntil(
        [&] {
            return first.state() == ConnectionState::Connected &&
                   second.state() == ConnectionState::Connected;
        },
        10000));
    test::spin(3000);
    EXPECT_EQ(first.state(), ConnectionState::Connected);
    EXPECT_EQ(second.state(), ConnectionState::Connected);
    EXPECT_EQ(first.counters().reconnects + second.counters().reconnects, 0u);
    EXPECT_EQ(first.counters().takeovers + second.counters().takeovers, 0u);
}
