#pragma once

#include "mqtt/MqttClient.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace greenpulse::sim {

// Logs the broker connection of a program for its operator: one warning when the broker becomes
// unreachable, then at most one reminder per `reminderIntervalMs` while it stays so, and one line
// when the connection is back. The client keeps retrying and queueing by itself.
class ConnectionMonitor : public QObject
{
    Q_OBJECT
public:
    explicit ConnectionMonitor(core::MqttClient &client, QString brokerUrl,
                               int reminderIntervalMs = 30'000, QObject *parent = nullptr);

    bool isDown() const { return m_down; }

signals:
    // The client will not retry (bad options, authentication refused).
    void fatalError(const QString &reason);

private:
    void onStateChanged(core::ConnectionState state, const QString &reason);
    void remind();

    core::MqttClient &m_client;
    QString m_brokerUrl;
    bool m_down = false;
    bool m_everConnected = false;
    QElapsedTimer m_downSince;
    QTimer m_reminder;
};

} // namespace greenpulse::sim
