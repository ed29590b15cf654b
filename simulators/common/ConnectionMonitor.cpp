#include "ConnectionMonitor.h"

#include "base/Logging.h"
#include "base/SecurityChecks.h"

namespace greenpulse::sim {

using core::ConnectionState;

ConnectionMonitor::ConnectionMonitor(core::MqttClient &client, QString brokerUrl,
                                     int reminderIntervalMs, QObject *parent)
    : QObject(parent), m_client(client), m_brokerUrl(core::redactUrl(brokerUrl))
{
    m_reminder.setInterval(reminderIntervalMs);
    connect(&m_reminder, &QTimer::timeout, this, &ConnectionMonitor::remind);
    connect(&client, &core::MqttClient::stateChanged, this, &ConnectionMonitor::onStateChanged);
}

void ConnectionMonitor::onStateChanged(ConnectionState state, const QString &reason)
{
    switch (state) {
    case ConnectionState::Connected:
        if (m_down) {
            qCInfo(lcSim).noquote() << "connected to" << m_brokerUrl << "again after"
                                    << m_downSince.elapsed() / 1000 << "s";
        } else if (!m_everConnected) {
            qCInfo(lcSim).noquote() << "connected to" << m_brokerUrl << "as" << m_client.clientId();
        }
        m_down = false;
        m_everConnected = true;
        m_reminder.stop();
        break;
    case ConnectionState::Reconnecting:
        if (!m_down) {
            m_down = true;
            m_downSince.start();
            m_reminder.start();
            const QString why = reason.isEmpty() ? m_client.lastError() : reason;
            qCWarning(lcSim).noquote() << "broker" << m_brokerUrl
                                       << QStringLiteral("unreachable (") + why + QLatin1Char(')')
                                       << "- retrying; messages are queued until it is back";
        }
        break;
    case ConnectionState::Error: {
        m_reminder.stop();
        const QString why = reason.isEmpty() ? m_client.lastError() : reason;
        qCCritical(lcSim).noquote() << "cannot use broker" << m_brokerUrl << ":" << why;
        emit fatalError(why);
        break;
    }
    case ConnectionState::Connecting:
    case ConnectionState::Disconnected:
        break;
    }
}

void ConnectionMonitor::remind()
{
    if (!m_down) {
        m_reminder.stop();
        return;
    }
    qCWarning(lcSim).noquote() << "broker" << m_brokerUrl << "still unreachable after"
                               << m_downSince.elapsed() / 1000
                               << QStringLiteral("s (") + m_client.lastError() + QLatin1Char(')')
                               << "-" << m_client.counters().pendingPublishes << "messages queued";
}

} // namespace greenpulse::sim
