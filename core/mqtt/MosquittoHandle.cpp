#include "mqtt/MosquittoHandle_p.h"

#include <cerrno>
#include <cstring>
#include <mosquitto.h>

namespace greenpulse::core::mosquittohandle {

namespace {

constexpr int kSendMaximum = 100; // QoS 1 messages in flight before libmosquitto queues

void initLibrary()
{
    static const int once = [] { return mosquitto_lib_init(); }();
    Q_UNUSED(once)
}

} // namespace

mosquitto *create(const MqttOptions &options, bool tls, void *userData, QString *error)
{
    initLibrary();
    mosquitto *mosq =
        mosquitto_new(options.clientId.toUtf8().constData(), options.cleanSession, userData);
    if (!mosq) {
        *error = QStringLiteral("cannot create the MQTT client: %1")
                     .arg(QString::fromLocal8Bit(std::strerror(errno)));
        return nullptr;
    }
    mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    mosquitto_int_option(mosq, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_int_option(mosq, MOSQ_OPT_SEND_MAXIMUM, kSendMaximum);

    int rc = MOSQ_ERR_SUCCESS;
    if (!options.username.isEmpty()) {
        const QByteArray user = options.username.toUtf8();
        const QByteArray password = options.password.toUtf8();
        rc = mosquitto_username_pw_set(mosq, user.constData(),
                                       options.password.isEmpty() ? nullptr : password.constData());
        if (rc != MOSQ_ERR_SUCCESS) {
            *error = QStringLiteral("invalid MQTT username: %1").arg(errorReason(rc, errno));
        }
    }
    if (rc == MOSQ_ERR_SUCCESS && tls) {
        const QByteArray caFile = options.caFile.toLocal8Bit();
        rc = mosquitto_tls_set(mosq, caFile.isEmpty() ? nullptr : caFile.constData(),
                               caFile.isEmpty() ? "/etc/ssl/certs" : nullptr, nullptr, nullptr,
                               nullptr);
        if (rc != MOSQ_ERR_SUCCESS) {
            *error = rc == MOSQ_ERR_INVAL
                         ? QStringLiteral("cannot read the CA file '%1'").arg(options.caFile)
                         : QStringLiteral("TLS setup failed: %1").arg(errorReason(rc, errno));
        }
    }
    if (rc == MOSQ_ERR_SUCCESS && !options.willTopic.isEmpty()) {
        rc = mosquitto_will_set(
            mosq, options.willTopic.constData(), static_cast<int>(options.willPayload.size()),
            options.willPayload.constData(), qBound(0, options.willQos, 2), options.willRetain);
        if (rc != MOSQ_ERR_SUCCESS) {
            *error = QStringLiteral("invalid last will: %1").arg(errorReason(rc, errno));
        }
    }
    if (rc != MOSQ_ERR_SUCCESS) {
        mosquitto_destroy(mosq);
        return nullptr;
    }
    return mosq;
}

TlsFailure explainTlsFailure(const QString &opensslError, const QString &url, const QString &caFile,
                             const QString &host)
{
    // "error:0A000086:SSL routines::certificate verify failed" -> "certificate verify failed"
    QString what = opensslError.section(QLatin1Char(':'), -1).trimmed();
    if (what.isEmpty()) {
        what = QStringLiteral("TLS error");
    }
    const QString ca = caFile.isEmpty() ? QStringLiteral("the system's CA certificates")
                                        : QStringLiteral("CA file %1").arg(caFile);
    TlsFailure failure;
    QString hint;
    if (what.contains(QLatin1String("certificate verify failed"))) {
        failure.permanent = true;
        hint = QStringLiteral("; the broker's certificate is not signed by that CA, has expired, "
                              "or does not name %1 (check --ca-file and the host in --broker)")
                   .arg(host);
    } else if (what.contains(QLatin1String("wrong version number")) ||
               what.contains(QLatin1String("packet length too long"))) {
        hint = QStringLiteral("; is this port a TLS listener?");
    }
    failure.text =
        QStringLiteral("TLS handshake with %1 failed: %2 (%3%4)").arg(url, what, ca, hint);
    return failure;
}

QString errorReason(int rc, int savedErrno)
{
    switch (rc) {
    case MOSQ_ERR_CONN_LOST:
        return QStringLiteral("connection lost");
    case MOSQ_ERR_KEEPALIVE:
        return QStringLiteral("keepalive timeout");
    case MOSQ_ERR_NO_CONN:
        return QStringLiteral("not connected");
    case MOSQ_ERR_EAI:
        return QStringLiteral("cannot resolve the broker host name");
    case MOSQ_ERR_TLS:
        return QStringLiteral("TLS error");
    case MOSQ_ERR_ERRNO:
        if (savedErrno != 0) {
            return QString::fromLocal8Bit(std::strerror(savedErrno)).toLower();
        }
        return QStringLiteral("connection lost");
    default:
        return QString::fromUtf8(mosquitto_strerror(rc));
    }
}

} // namespace greenpulse::core::mosquittohandle
