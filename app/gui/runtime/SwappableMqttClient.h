#pragma once

#include "mqtt/MqttClient.h"

#include <QList>
#include <QPair>
#include <memory>

namespace greenpulse::app {

// An MqttClient that forwards to an inner client which can be replaced at run time, e.g. when
// the operator changes the broker in the settings dialog. Users (the Processor, JobPublisher)
// keep their reference to this object; subscriptions are replayed on the new client and its
// signals are forwarded. Lives on one thread, like every MqttClient; swap() on that thread.
class SwappableMqttClient : public core::MqttClient
{
    Q_OBJECT
public:
    explicit SwappableMqttClient(std::unique_ptr<core::MqttClient> inner,
                                 QObject *parent = nullptr);
    ~SwappableMqttClient() override;

    // Disconnects and deletes the current client, then takes `inner`, subscribes it to what was
    // subscribed so far and connects it if this client was connecting.
    void swap(std::unique_ptr<core::MqttClient> inner);
    core::MqttClient *inner() const { return m_inner.get(); }

    void connectToBroker() override;
    void disconnectFromBroker() override;
    void subscribe(const QByteArray &topicFilter, int qos) override;
    bool publish(const QByteArray &topic, const QByteArray &payload, int qos = 1,
                 bool retain = false) override;
    bool isIdle() const override;
    core::ConnectionState state() const override;
    QString lastError() const override;
    core::MqttCounters counters() const override;
    QString clientId() const override;
    QString takeoverWarning() const override;

private:
    void attach();

    std::unique_ptr<core::MqttClient> m_inner;
    QList<QPair<QByteArray, int>> m_subscriptions;
    core::MqttCounters m_previous; // counters of the clients swapped out, so totals keep growing
    bool m_wanted = false;
};

} // namespace greenpulse::app
