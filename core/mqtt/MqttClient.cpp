#include "mqtt/MqttClient.h"

#include <QCoreApplication>
#include <QSysInfo>
#include <atomic>

namespace greenpulse::core {

const char *connectionStateName(ConnectionState state)
{
    switch (state) {
    case ConnectionState::Disconnected:
        return "disconnected";
    case ConnectionState::Connecting:
        return "connecting";
    case ConnectionState::Connected:
        return "connected";
    case ConnectionState::Reconnecting:
        return "reconnecting";
    case ConnectionState::Error:
        return "error";
    }
    return "unknown";
}

QString mqttConnackReason(int rc)
{
    switch (rc) {
    case 1:
        return QStringLiteral("refused: unacceptable protocol version");
    case 2:
        return QStringLiteral("refused: client id rejected");
    case 3:
        return QStringLiteral("refused: server unavailable");
    case 4:
        return QStringLiteral("refused: bad username or password");
    case 5:
        return QStringLiteral("refused: not authorised");
    default:
        return QStringLiteral("refused by the broker (code %1)").arg(rc);
    }
}

QString defaultMqttClientId()
{
    QString program = QCoreApplication::applicationName();
    if (program.isEmpty()) {
        program = QStringLiteral("greenpulse");
    }
    // Stable across restarts; a second client in the same process gets a suffix, or the broker
    // would disconnect the first one (the same id takes the session over).
    static std::atomic<int> instances{0};
    const int instance = ++instances;
    QString id = QStringLiteral("%1-%2-%3")
                     .arg(program, QSysInfo::machineHostName())
                     .arg(QCoreApplication::applicationPid());
    if (instance > 1) {
        id += QStringLiteral("-%1").arg(instance);
    }
    return id;
}

bool operator==(const MqttOptions &a, const MqttOptions &b)
{
    return a.brokerUrl == b.brokerUrl && a.clientId == b.clientId && a.username == b.username &&
           a.password == b.password && a.caFile == b.caFile &&
           a.keepAliveSeconds == b.keepAliveSeconds && a.cleanSession == b.cleanSession &&
           a.willTopic == b.willTopic && a.willPayload == b.willPayload &&
           a.willRetain == b.willRetain && a.willQos == b.willQos &&
           a.onlinePayload == b.onlinePayload && a.reconnectMinMs == b.reconnectMinMs &&
           a.reconnectMaxMs == b.reconnectMaxMs && a.maxPendingPublishes == b.maxPendingPublishes;
}

} // namespace greenpulse::core
