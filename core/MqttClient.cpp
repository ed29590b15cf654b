#include "MqttClient.h"

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

} // namespace greenpulse::core
