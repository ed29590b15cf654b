#pragma once

#include "base/Backoff.h"
#include "base/LogThrottle.h"
#include "mqtt/BrokerUrl.h"
#include "mqtt/MqttClient.h"
#include "mqtt/TakeoverDetector.h"

#include <QElapsedTimer>
#include <QList>
#include <QSet>
#include <deque>

class QTimer;
struct mosquitto;
struct mosquitto_message;

namespace greenpulse::core {

class MosquittoLoop;

// MqttClient on libmosquitto, driven by the Qt event loop of the thread that owns it (see
// MosquittoLoop), so every libmosquitto callback runs on this object's thread, without locks.
// Reconnects with backoff and jitter, resubscribes on connect, queues publishes while
// disconnected.
class MosquittoClient : public MqttClient
{
    Q_OBJECT
public:
    explicit MosquittoClient(MqttOptions options, QObject *parent = nullptr);
    ~MosquittoClient() override;

    void connectToBroker() override;
    void disconnectFromBroker() override;
    void subscribe(const QByteArray &topicFilter, int qos) override;
    bool publish(const QByteArray &topic, const QByteArray &payload, int qos = 1,
                 bool retain = false) override;
    bool isIdle() const override;
    ConnectionState state() const override { return m_state; }
    QString lastError() const override { return m_lastError; }
    MqttCounters counters() const override;
    QString clientId() const override { return m_options.clientId; }
    QString takeoverWarning() const override;

    // The reconnect delays: reconnectMinMs doubling up to reconnectMaxMs, +-20 % jitter; a refusal
    // or a rejected certificate goes straight to reconnectMaxMs.
    static Backoff::Policy reconnectPolicy(const MqttOptions &options);

private:
    struct Pending
    {
        QByteArray topic;
        QByteArray payload;
        int qos;
        bool retain;
    };
    enum class SendResult { Sent, Requeue, Dropped };

    static void onConnectCb(mosquitto *, void *self, int rc);
    static void onDisconnectCb(mosquitto *, void *self, int rc);
    static void onMessageCb(mosquitto *, void *self, const mosquitto_message *message);
    static void onPublishCb(mosquitto *, void *self, int mid);
    static void onLogCb(mosquitto *, void *self, int level, const char *text);

    bool setUp(QString *error);
    void attempt();
    void onConnected();
    void onConnectionLost(const QString &reason);
    QString explainTlsFailure(const QString &reason); // reason, or what the TLS handshake said
    void scheduleReconnect(const QString &reason);
    void setState(ConnectionState state, const QString &reason);
    void subscribeNow(const QByteArray &topicFilter, int qos);
    void flushPending();
    bool enqueue(Pending message);
    SendResult sendNow(const Pending &message);
    void maybeEmitIdle();

    MqttOptions m_options;
    mosquitto *m_mosq = nullptr;
    QByteArray m_host;
    int m_port = 0;
    bool m_tls = false;
    ConnectionState m_state = ConnectionState::Disconnected;
    QString m_lastError;
    bool m_wanted = false;         // connectToBroker called and not yet disconnectFromBroker
    bool m_connackPending = false; // on_connect(0) seen; handled once libmosquitto returns
    bool m_refused = false;        // the broker refused us (CONNACK rc != 0): Error state
    bool m_certRejected = false;   // the broker's certificate did not verify: Error state
    QString m_tlsDetail;           // the last OpenSSL error libmosquitto logged
    bool m_everConnected = false;
    bool m_idleEmitted = true;
    Backoff m_backoff;  // reconnect delays (MqttOptions::reconnectMinMs..reconnectMaxMs)
    int m_failures = 0; // consecutive failed attempts, for log throttling
    LogThrottle m_failureLog{30'000}; // "still cannot connect", at most this often
    QByteArray m_lastTopic;           // topic of the last message received, shared with the slots
    QList<QPair<QByteArray, int>> m_subscriptions;
    std::deque<Pending> m_pending;
    QSet<int> m_inflight; // mids of QoS>0 publishes not yet acknowledged
    MqttCounters m_counters;
    TakeoverDetector m_takeover;     // another client with our id (docs/protocol.md, "Client ids")
    bool m_takenOver = false;        // the last loss was a takeover: retry at the slowest pace
    int m_lostRc = 0;                // libmosquitto's code for the loss being handled
    QElapsedTimer m_sinceStart;      // monotonic clock of m_takeover
    MosquittoLoop *m_loop = nullptr; // child: the socket notifiers and the misc timer
    QTimer *m_reconnectTimer = nullptr;
};

} // namespace greenpulse::core
