#pragma once

#include "MosquittoServer.h"
#include "TestSupport.h"

namespace greenpulse::test {

// The tests' mosquitto: the launcher shared with the benchmark harness (testing/servers). Stop
// and start it again on the same port to simulate an outage.
using MosquittoBroker = servers::MosquittoServer;

// Subscribes with mosquitto_sub (-v, QoS 1) in the background and collects "topic payload" lines.
class MosquittoSubscriber
{
public:
    bool start(const QString &brokerUrlOrPort,
               const QString &topic = QStringLiteral("greenpulse/#"),
               const QStringList &extraArgs = {});
    QList<QPair<QByteArray, QByteArray>> messages(); // (topic, payload) so far
    void stop();

private:
    Child m_child;
    QByteArray m_buffer;
    QList<QPair<QByteArray, QByteArray>> m_messages;
};

} // namespace greenpulse::test
