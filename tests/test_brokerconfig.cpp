// The broker settings GreenPulse ships (packaging/mosquitto/greenpulse-queues.conf, included by
// the .deb's instructions, the compose stack and scripts/run.sh) against a real mosquitto: a
// persistent-session subscriber that is away while 5,000 QoS 1 messages are published gets all
// of them, across a broker restart too; with mosquitto's defaults it would not. A 1 MiB publish
// never reaches a subscriber.

#include "MosquittoBroker.h"

#include <QFile>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace greenpulse::test;

namespace {

constexpr int kMessages = 5000;

QByteArray shippedConfig()
{
    QFile file(QStringLiteral(GREENPULSE_SOURCE_DIR "/packaging/mosquitto/greenpulse-queues.conf"));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString tool(const char *name)
{
    return findExecutable(QString::fromLatin1(name));
}

// mosquitto_sub with a persistent session (-c) under `id`: subscribes and leaves at once (-E).
bool subscribeAndLeave(const MosquittoBroker &broker, const QString &id)
{
    return run(tool("mosquitto_sub"),
               {QStringLiteral("-p"), QString::number(broker.port()), QStringLiteral("-c"),
                QStringLiteral("-i"), id, QStringLiteral("-q"), QStringLiteral("1"),
                QStringLiteral("-t"), QStringLiteral("greenpulse/test"), QStringLiteral("-E")})
               .exitCode == 0;
}

// Publishes 1..kMessages, one QoS 1 message each.
bool publishMany(const MosquittoBroker &broker)
{
    const QString command = QStringLiteral("seq 1 %1 | %2 -p %3 -q 1 -t greenpulse/test -l")
                                .arg(kMessages)
                                .arg(tool("mosquitto_pub"))
                                .arg(broker.port());
    return run(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), command}, 60000).exitCode == 0;
}

// Comes back under `id` and counts what the broker kept (until 3 s pass without a message).
int receiveQueued(const MosquittoBroker &broker, const QString &id)
{
    const ProcessResult r =
        run(tool("mosquitto_sub"),
            {QStringLiteral("-p"), QString::number(broker.port()), QStringLiteral("-c"),
             QStringLiteral("-i"), id, QStringLiteral("-q"), QStringLiteral("1"),
             QStringLiteral("-t"), QStringLiteral("greenpulse/test"), QStringLiteral("-C"),
             QString::number(kMessages), QStringLiteral("-W"), QStringLiteral("10")},
            30000);
    return static_cast<int>(r.out.count('\n'));
}

} // namespace

TEST(BrokerConfig, ShippedSettingsKeepEveryQueuedMessageAcrossARestart)
{
    MosquittoBroker::Config config;
    config.persistence = true; // persistence_location in the test's folder
    config.extraConfig = shippedConfig();
    ASSERT_FALSE(config.extraConfig.isEmpty());
    MosquittoBroker broker(config);
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    ASSERT_TRUE(subscribeAndLeave(broker, QStringLiteral("away-processor")));
    ASSERT_TRUE(publishMany(broker));
    ASSERT_TRUE(broker.restart()) << broker.lastError().toStdString();
    EXPECT_EQ(receiveQueued(broker, QStringLiteral("away-processor")), kMessages)
        << broker.log().toStdString();
}

TEST(BrokerConfig, MosquittoDefaultsDropQueuedMessages)
{
    // The evidence for the settings above: the same with mosquitto's default queue limit.
    MosquittoBroker broker;
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    ASSERT_TRUE(subscribeAndLeave(broker, QStringLiteral("away-processor")));
    ASSERT_TRUE(publishMany(broker));
    const int received = receiveQueued(broker, QStringLiteral("away-processor"));
    EXPECT_LT(received, kMessages);
    EXPECT_GE(received, 1000); // max_queued_messages 1000 (plus those in flight)
}

TEST(BrokerConfig, ShippedSettingsRefuseAnOversizedPublish)
{
    MosquittoBroker::Config config;
    config.persistence = true;
    config.extraConfig = shippedConfig();
    MosquittoBroker broker(config);
    ASSERT_TRUE(broker.start()) << broker.lastError().toStdString();
    QTemporaryDir dir;
    QFile big(dir.filePath(QStringLiteral("big.json")));
    ASSERT_TRUE(big.open(QIODevice::WriteOnly));
    big.write(QByteArray(1024 * 1024, 'x'));
    big.close();
    MosquittoSubscriber subscriber;
    ASSERT_TRUE(subscriber.start(QString::number(broker.port()), QStringLiteral("greenpulse/#")));
    spin(500);
    run(tool("mosquitto_pub"),
        {QStringLiteral("-p"), QString::number(broker.port()), QStringLiteral("-q"),
         QStringLiteral("1"), QStringLiteral("-t"), QStringLiteral("greenpulse/power/big"),
         QStringLiteral("-f"), big.fileName()});
    ASSERT_EQ(
        run(tool("mosquitto_pub"),
            {QStringLiteral("-p"), QString::number(broker.port()), QStringLiteral("-q"),
             QStringLiteral("1"), QStringLiteral("-t"), QStringLiteral("greenpulse/power/small"),
             QStringLiteral("-m"), QStringLiteral("{}")})
            .exitCode,
        0);
    ASSERT_TRUE(waitUntil([&] { return !subscriber.messages().isEmpty(); }, 5000));
    spin(500);
    const auto messages = subscriber.messages();
    ASSERT_EQ(messages.size(), 1);
    EXPECT_EQ(messages.first().first, QByteArray("greenpulse/power/small"));
}
