#pragma once

// The libmosquitto handle behind a MosquittoClient: creating one from MqttOptions, and the text
// of libmosquitto's return codes. Internal to core (MosquittoClient, MosquittoLoop).

#include "mqtt/MqttClient.h"

#include <QString>

struct mosquitto;

namespace greenpulse::core::mosquittohandle {

// A new handle with the client id and session of `options`, MQTT 3.1.1, TCP_NODELAY, a bounded
// number of QoS 1 messages in flight, and the credentials, TLS (when `tls`: the CA file, or the
// system's) and last will of `options`; its callbacks get `userData`. Null, with *error, when
// libmosquitto refuses any of it. Free it with mosquitto_destroy().
mosquitto *create(const MqttOptions &options, bool tls, void *userData, QString *error);

// Text for a libmosquitto return code; MOSQ_ERR_ERRNO is explained by `savedErrno`.
QString errorReason(int rc, int savedErrno);

struct TlsFailure
{
    QString text;           // what failed, with the broker URL, the CA file and a hint
    bool permanent = false; // the certificate will not verify until someone changes something
};
// Explains a failed TLS handshake from the OpenSSL error libmosquitto logged (`opensslError`,
// e.g. "OpenSSL Error[0]: error:0A000086:SSL routines::certificate verify failed"; may be
// empty), for the broker `url` (already redacted), `caFile` (empty: the system's) and `host`.
TlsFailure explainTlsFailure(const QString &opensslError, const QString &url, const QString &caFile,
                             const QString &host);

} // namespace greenpulse::core::mosquittohandle
