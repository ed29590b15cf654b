#pragma once

// An MqttClient that is always connected and records what is published and subscribed, for
// tests of publishers that need no broker (those that do start a real mosquitto).

#include "mqtt/MqttClient.h"

#include <QByteArrayList>
#include <QList>
#include <QMap>

namespace greenpulse::test {

class RecordingMqttClient : public core::MqttClient
{
public:
    struct Message
    {
        QByteArray topic;
        QByteArray payload;
        int qos = 0;
        bool retain = false;
    };

    explicit RecordingMqttClient(QString clientId = QStringLiteral("recording"))
        : m_clientId(std::move(clientId))
    {}
    void connectToBroker() override {}
    void disconnectFromBroker() override {}
    void subscribe(const QByteArray &filter, int) override { subscriptions << filter; }
    bool publish(const QByteArray &topic, const QByteArray &payload, int qos, bool retain) override
    {
        published.append({topic, payload, qos, retain});
        return true;
    }
    bool isIdle() const override { return true; }
    core::ConnectionState state() const override { return core::ConnectionState::Connected; }
    QString lastError() const override { return {}; }
    core::MqttCounters counters() const override { return {}; }
    QString clientId() const override { return m_clientId; }

    // The last payload published on each topic (an empty payload clears it, as it clears a
    // retained message).
    QMap<QByteArray, QByteArray> retained() const
    {
        QMap<QByteArray, QByteArray> out;
        for (const Message &m : published) {
            if (m.payload.isEmpty()) {
                out.remove(m.topic);
            } else {
                out[m.topic] = m.payload;
            }
        }
        return out;
    }

    QList<Message> published;
    QByteArrayList subscriptions;

private:
    QString m_clientId;
};

} // namespace greenpulse::test
