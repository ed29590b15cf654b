#pragma once

// The one small MQTT interface every GreenPulse program uses. Today it is implemented with
// libmosquitto (MosquittoClient); a Qt MQTT backend can be added behind the same interface.

#include <QByteArray>
#include <QObject>
#include <QString>

namespace greenpulse::core {

struct MqttOptions
{
    QString brokerUrl = QStringLiteral("tcp://127.0.0.1:1883"); // tcp://, mqtt://, ssl://, mqtts://
    QString clientId; // stable id; empty: generated from program name, host and pid
    QString username;
    QString password; // never logged
    QString caFile;   // enables TLS (also implied by an ssl:// or mqtts:// URL)
    int keepAliveSeconds = 30;
    bool cleanSession = true; // false: the broker keeps our QoS 1 subscriptions while we are away

    // Last will: published by the broker when we vanish. Empty topic: no will.
    QByteArray willTopic;
    QByteArray willPayload;
    bool willRetain = true;
    int willQos = 1;

    // Published (retained) on every successful connect, e.g. "online" on the will topic.
    QByteArray onlinePayload;

    // Reconnect backoff: starts at min, doubles up to max, with +-20 % jitter.
    int reconnectMinMs = 250;
    int reconnectMaxMs = 10'000;

    // Publishes made while disconnected wait in memory (oldest dropped and counted beyond this).
    int maxPendingPublishes = 100'000;

    // Every field equal: the dashboard rebuilds its MQTT clients when the settings change this.
    friend bool operator==(const MqttOptions &a, const MqttOptions &b);
    friend bool operator!=(const MqttOptions &a, const MqttOptions &b) { return !(a == b); }
};

enum class ConnectionState {
    Disconnected, // not started, or stopped by disconnectFromBroker()
    Connecting,   // first attempt under way
    Connected,
    Reconnecting, // lost or failed; retrying with backoff. lastError() says why.
    Error,        // will not retry by itself (bad options, authentication refused)
};

const char *connectionStateName(ConnectionState state);

struct MqttCounters
{
    quint64 received = 0;
    quint64 published = 0;        // handed to the broker connection
    quint64 pendingPublishes = 0; // waiting for a connection
    quint64 droppedPublishes = 0; // pending queue overflowed
    quint64 reconnects = 0;
    quint64 takeovers = 0; // connections closed because another client used our id
};

// Lives on one thread; all signals are emitted on that thread. Not thread-safe.
class MqttClient : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~MqttClient() override = default;

    // Starts connecting; never blocks. Keeps reconnecting with backoff until disconnectFromBroker.
    virtual void connectToBroker() = 0;
    // Sends pending messages if it can do so quickly, then disconnects cleanly.
    virtual void disconnectFromBroker() = 0;

    // Remembered and (re)sent on every connect.
    virtual void subscribe(const QByteArray &topicFilter, int qos) = 0;

    // Publishes, or queues while disconnected. Returns false only if the message was dropped
    // (invalid topic, or the pending queue is full: then the oldest is dropped and counted).
    virtual bool publish(const QByteArray &topic, const QByteArray &payload, int qos = 1,
                         bool retain = false) = 0;

    // True when nothing published is still waiting to reach the broker (QoS 1 acknowledged).
    virtual bool isIdle() const = 0;

    virtual ConnectionState state() const = 0;
    virtual QString lastError() const = 0;
    virtual MqttCounters counters() const = 0;
    virtual QString clientId() const = 0;
    // While another client seems to use our client id (the broker keeps closing our connection
    // right after accepting it): a sentence naming the id; else empty.
    virtual QString takeoverWarning() const { return {}; }

signals:
    void stateChanged(greenpulse::core::ConnectionState state, const QString &reason);
    void connected();
    // Emitted once per message, on the client's thread, directly from the network read.
    void messageReceived(const QByteArray &topic, const QByteArray &payload);
    // Emitted when everything published so far has been delivered (see isIdle()).
    void idle();
};

// Why the broker refused a CONNECT (CONNACK return code 1-5).
QString mqttConnackReason(int rc);
// <program>-<hostname>-<pid>, with -<n> for the n-th client of the same process.
QString defaultMqttClientId();

} // namespace greenpulse::core

Q_DECLARE_METATYPE(greenpulse::core::ConnectionState)
