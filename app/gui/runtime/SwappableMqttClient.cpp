#include "runtime/SwappableMqttClient.h"

namespace greenpulse::app {

SwappableMqttClient::SwappableMqttClient(std::unique_ptr<core::MqttClient> inner, QObject *parent)
    : core::MqttClient(parent), m_inner(std::move(inner))
{
    attach();
}

SwappableMqttClient::~SwappableMqttClient()
{
    if (m_inner) {
        m_inner->disconnect(this);
    }
}

void SwappableMqttClient::attach()
{
    if (!m_inner) {
        return;
    }
    // A child, so moveToThread() of this proxy moves the client too.
    m_inner->setParent(this);
    connect(m_inner.get(), &core::MqttClient::stateChanged, this,
            &SwappableMqttClient::stateChanged);
    connect(m_inner.get(), &core::MqttClient::connected, this, &SwappableMqttClient::connected);
    connect(m_inner.get(), &core::MqttClient::messageReceived, this,
            &SwappableMqttClient::messageReceived);
    connect(m_inner.get(), &core::MqttClient::idle, this, &SwappableMqttClient::idle);
}

void SwappableMqttClient::swap(std::unique_ptr<core::MqttClient> inner)
{
    if (m_inner) {
        m_inner->disconnect(this);
        const core::MqttCounters old = m_inner->counters();
        m_previous.received += old.received;
        m_previous.published += old.published;
        m_previous.droppedPublishes += old.droppedPublishes;
        m_previous.reconnects += old.reconnects;
        m_previous.takeovers += old.takeovers;
        m_inner->disconnectFromBroker();
        m_inner.reset();
    }
    m_inner = std::move(inner);
    attach();
    if (!m_inner) {
        return;
    }
    for (const auto &subscription : std::as_const(m_subscriptions)) {
        m_inner->subscribe(subscription.first, subscription.second);
    }
    if (m_wanted) {
        m_inner->connectToBroker();
    }
    emit stateChanged(m_inner->state(), m_inner->lastError());
}

void SwappableMqttClient::connectToBroker()
{
    m_wanted = true;
    if (m_inner) {
        m_inner->connectToBroker();
    }
}

void SwappableMqttClient::disconnectFromBroker()
{
    m_wanted = false;
    if (m_inner) {
        m_inner->disconnectFromBroker();
    }
}

void SwappableMqttClient::subscribe(const QByteArray &topicFilter, int qos)
{
    m_subscriptions.append({topicFilter, qos});
    if (m_inner) {
        m_inner->subscribe(topicFilter, qos);
    }
}

bool SwappableMqttClient::publish(const QByteArray &topic, const QByteArray &payload, int qos,
                                  bool retain)
{
    return m_inner && m_inner->publish(topic, payload, qos, retain);
}

bool SwappableMqttClient::isIdle() const
{
    return !m_inner || m_inner->isIdle();
}

core::ConnectionState SwappableMqttClient::state() const
{
    return m_inner ? m_inner->state() : core::ConnectionState::Disconnected;
}

QString SwappableMqttClient::lastError() const
{
    return m_inner ? m_inner->lastError() : QString();
}

core::MqttCounters SwappableMqttClient::counters() const
{
    core::MqttCounters total = m_previous;
    if (m_inner) {
        const core::MqttCounters now = m_inner->counters();
        total.received += now.received;
        total.published += now.published;
        total.pendingPublishes = now.pendingPublishes;
        total.droppedPublishes += now.droppedPublishes;
        total.reconnects += now.reconnects;
        total.takeovers += now.takeovers;
    }
    return total;
}

QString SwappableMqttClient::clientId() const
{
    return m_inner ? m_inner->clientId() : QString();
}

QString SwappableMqttClient::takeoverWarning() const
{
    return m_inner ? m_inner->takeoverWarning() : QString();
}

} // namespace greenpulse::app
