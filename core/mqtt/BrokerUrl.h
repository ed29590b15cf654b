#pragma once

// Broker URLs as the options take them (--broker), parsed into what libmosquitto connects to.

#include <QByteArray>
#include <QString>

namespace greenpulse::core {

struct MqttBrokerAddress
{
    QByteArray host;
    int port = 0;
    bool tls = false;
};

// tcp://, mqtt://, ssl://, mqtts:// host[:port], host[:port] or host; [v6]:port works too.
// Default port 1883, or 8883 with TLS (an ssl/mqtts scheme, or tls already true: a CA file).
// Errors name the URL with its password masked.
bool parseMqttBrokerUrl(const QString &url, bool tls, MqttBrokerAddress *out, QString *error);

} // namespace greenpulse::core
