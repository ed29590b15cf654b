#include "mqtt/MosquittoClient.h"

#include "base/Logging.h"
#include "base/SecurityChecks.h"
#include "mqtt/MosquittoHandle_p.h"
#include "mqtt/MosquittoLoop_p.h"

#include <QTimer>
#include <cerrno>
#include <cstring>
#include <mosquitto.h>
#include <utility>

namespace greenpulse::core {

namespace {

constexpr int kDrainTimeoutMs = 1000; // disconnectFromBroker: wait for acknowledgements

using mosquittohandle::errorReason;

} // namespace

MosquittoClient::MosquittoClient(MqttOptions options, QObject *parent)
    : MqttClient(parent), m_options(std::move(options))
{
    if (m_options.clientId.isEmpty()) {
        m_options.clientId = defaultMqttClientId();
    }
    MosquittoLoop::Hooks hooks;
    hooks.returned = [this] {
        if (m_connackPending) {
            onConnected();
        }
    };
    hooks.lost = [this](const QString &reason) { onConnectionLost(reason); };
    hooks.settled = [this] { maybeEmitIdle(); };
    m_loop = new MosquittoLoop(std::move(hooks), this);
    m_backoff = Backoff(reconnectPolicy(m_options));
    m_takeover = TakeoverDetector(m_options.reconnectMaxMs);
    m_sinceStart.start();
    m_reconnectTimer = new QTimer(this);
    m_reconnectTimer->setSingleShot(true);
    connect(m_reconnectTimer, &QTimer::timeout, this, &MosquittoClient::attempt);
}

Backoff::Policy MosquittoClient::reconnectPolicy(const MqttOptions &options)
{
    Backoff::Policy policy;
    policy.initialMs = options.reconnectMinMs;
    policy.maxMs = options.reconnectMaxMs;
    policy.multiplier = 2.0;
    policy.jitterLow = 0.8; // +-20 %
    policy.jitterHigh = 1.2;
    return policy;
}

MosquittoClient::~MosquittoClient()
{
    if (m_mosq) {
        if (m_wanted || m_loop->isAttached()) {
            disconnectFromBroker();
        }
        m_loop->detach();
        mosquitto_destroy(m_mosq);
        m_mosq = nullptr;
    }
}

bool MosquittoClient::setUp(QString *error)
{
    MqttBrokerAddress address;
    if (!parseMqttBrokerUrl(m_options.brokerUrl, !m_options.caFile.isEmpty(), &address, error)) {
        return false;
    }
    m_host = address.host;
    m_port = address.port;
    m_tls = address.tls;
    if (m_mosq) {
        return true;
    }
    m_mosq = mosquittohandle::create(m_options, m_tls, this, error);
    if (!m_mosq) {
        return false;
    }
    mosquitto_connect_callback_set(m_mosq, &MosquittoClient::onConnectCb);
    mosquitto_disconnect_callback_set(m_mosq, &MosquittoClient::onDisconnectCb);
    mosquitto_message_callback_set(m_mosq, &MosquittoClient::onMessageCb);
    mosquitto_publish_callback_set(m_mosq, &MosquittoClient::onPublishCb);
    mosquitto_log_callback_set(m_mosq, &MosquittoClient::onLogCb);
    return true;
}

void MosquittoClient::connectToBroker()
{
    if (m_wanted) {
        return;
    }
    QString error;
    if (!setUp(&error)) {
        qCWarning(lcMqtt).noquote() << "MQTT:" << error;
        setState(ConnectionState::Error, error);
        return;
    }
    m_wanted = true;
    m_refused = false;
    m_certRejected = false;
    m_backoff.reset();
    m_failures = 0;
    setState(ConnectionState::Connecting, QString());
    m_loop->startMiscTimer();
    attempt();
}

void MosquittoClient::attempt()
{
    if (!m_wanted || !m_mosq) {
        return;
    }
    m_loop->detach();
    m_connackPending = false;
    const int keepAlive =
        m_options.keepAliveSeconds <= 0 ? 0 : qBound(5, m_options.keepAliveSeconds, 65535);
    errno = 0;
    // Resolves the host name synchronously (instant for addresses and /etc/hosts names); the TCP
    // connect itself is non-blocking and completes in onWritable()/onReadable().
    const int rc = mosquitto_connect_async(m_mosq, m_host.constData(), m_port, keepAlive);
    const int savedErrno = errno;
    if (rc == MOSQ_ERR_SUCCESS || rc == MOSQ_ERR_CONN_PENDING) {
        m_loop->attach(m_mosq);
        if (m_loop->isAttached()) {
            return;
        }
    }
    m_takeover.attemptFailed();
    scheduleReconnect(explainTlsFailure(errorReason(rc, savedErrno)));
}

void MosquittoClient::disconnectFromBroker()
{
    m_reconnectTimer->stop();
    m_wanted = false;
    if (m_mosq && m_loop->isAttached()) {
        if (m_state == ConnectionState::Connected && !m_loop->insideLoopCall()) {
            m_loop->pumpWhile([this] { return m_loop->isAttached() && !isIdle(); },
                              kDrainTimeoutMs);
        }
        if (m_loop->isAttached()) {
            mosquitto_disconnect(m_mosq);
            if (!m_loop->insideLoopCall()) {
                // The broker closes the socket after our DISCONNECT; reading that EOF lets
                // libmosquitto close its socket too.
                m_loop->pumpWhile([this] { return m_loop->isAttached(); }, 300);
            }
        }
    }
    m_loop->detach();
    m_loop->stopMiscTimer();
    m_connackPending = false;
    setState(ConnectionState::Disconnected, QStringLiteral("disconnected"));
}

void MosquittoClient::subscribe(const QByteArray &topicFilter, int qos)
{
    qos = qBound(0, qos, 2);
    bool known = false;
    for (auto &subscription : m_subscriptions) {
        if (subscription.first == topicFilter) {
            subscription.second = qos;
            known = true;
        }
    }
    if (!known) {
        m_subscriptions.append({topicFilter, qos});
    }
    if (m_state == ConnectionState::Connected && m_loop->isAttached()) {
        subscribeNow(topicFilter, qos);
        m_loop->updateWriteNotifier();
    }
}

void MosquittoClient::subscribeNow(const QByteArray &topicFilter, int qos)
{
    const int rc = mosquitto_subscribe(m_mosq, nullptr, topicFilter.constData(), qos);
    if (rc != MOSQ_ERR_SUCCESS) {
        qCWarning(lcMqtt).noquote()
            << "MQTT: cannot subscribe to" << topicFilter << ":" << errorReason(rc, errno);
    }
}

bool MosquittoClient::publish(const QByteArray &topic, const QByteArray &payload, int qos,
                              bool retain)
{
    if (topic.isEmpty() ||
        mosquitto_pub_topic_check2(topic.constData(), static_cast<size_t>(topic.size())) !=
            MOSQ_ERR_SUCCESS ||
        topic.contains('\0')) {
        return false;
    }
    Pending message{topic, payload, qBound(0, qos, 2), retain};
    m_idleEmitted = false;
    if (m_state == ConnectionState::Connected && m_loop->isAttached() && m_pending.empty()) {
        switch (sendNow(message)) {
        case SendResult::Sent:
            m_loop->updateWriteNotifier();
            return true;
        case SendResult::Dropped:
            return false;
        case SendResult::Requeue:
            break;
        }
    }
    return enqueue(std::move(message));
}

bool MosquittoClient::enqueue(Pending message)
{
    bool kept = true;
    const size_t limit = static_cast<size_t>(qMax(1, m_options.maxPendingPublishes));
    while (m_pending.size() >= limit) {
        m_pending.pop_front();
        ++m_counters.droppedPublishes;
        kept = false;
    }
    m_pending.push_back(std::move(message));
    return kept;
}

MosquittoClient::SendResult MosquittoClient::sendNow(const Pending &message)
{
    int mid = 0;
    const int rc = mosquitto_publish(m_mosq, &mid, message.topic.constData(),
                                     static_cast<int>(message.payload.size()),
                                     message.payload.constData(), message.qos, message.retain);
    switch (rc) {
    case MOSQ_ERR_SUCCESS:
        break;
    case MOSQ_ERR_INVAL:
    case MOSQ_ERR_NOMEM:
    case MOSQ_ERR_PAYLOAD_SIZE:
    case MOSQ_ERR_MALFORMED_UTF8:
    case MOSQ_ERR_QOS_NOT_SUPPORTED:
    case MOSQ_ERR_OVERSIZE_PACKET:
        qCWarning(lcMqtt).noquote()
            << "MQTT: cannot publish to" << message.topic << ":" << errorReason(rc, errno);
        return SendResult::Dropped;
    default:
        // Connection trouble. A QoS > 0 message is already in libmosquitto's outgoing queue and
        // will be resent after the reconnect; a QoS 0 one was not kept, so we queue it.
        if (message.qos == 0) {
            return SendResult::Requeue;
        }
        break;
    }
    ++m_counters.published;
    if (message.qos > 0) {
        m_inflight.insert(mid);
    }
    return SendResult::Sent;
}

void MosquittoClient::flushPending()
{
    while (!m_pending.empty() && m_state == ConnectionState::Connected && m_loop->isAttached()) {
        if (sendNow(m_pending.front()) == SendResult::Requeue) {
            break;
        }
        m_pending.pop_front();
    }
}

bool MosquittoClient::isIdle() const
{
    if (!m_pending.empty() || !m_inflight.isEmpty()) {
        return false;
    }
    return !(m_mosq && m_loop->isAttached() && m_state == ConnectionState::Connected &&
             mosquitto_want_write(m_mosq));
}

MqttCounters MosquittoClient::counters() const
{
    MqttCounters counters = m_counters;
    counters.pendingPublishes = m_pending.size();
    counters.takeovers = m_takeover.count();
    return counters;
}

void MosquittoClient::maybeEmitIdle()
{
    if (!m_idleEmitted && isIdle()) {
        m_idleEmitted = true;
        emit idle();
    }
}

void MosquittoClient::onConnected()
{
    m_connackPending = false;
    m_refused = false;
    m_certRejected = false;
    m_tlsDetail.clear();
    m_backoff.reset();
    if (m_failures > 1) {
        qCInfo(lcMqtt).noquote() << "MQTT: connected after" << m_failures << "failed attempts";
    }
    m_failures = 0;
    m_takenOver = false;
    m_takeover.connected(m_sinceStart.elapsed());
    if (m_everConnected) {
        ++m_counters.reconnects;
    }
    m_everConnected = true;
    setState(ConnectionState::Connected, QString());
    for (const auto &subscription : std::as_const(m_subscriptions)) {
        subscribeNow(subscription.first, subscription.second);
    }
    if (!m_options.willTopic.isEmpty() && !m_options.onlinePayload.isEmpty()) {
        mosquitto_publish(m_mosq, nullptr, m_options.willTopic.constData(),
                          static_cast<int>(m_options.onlinePayload.size()),
                          m_options.onlinePayload.constData(), qBound(0, m_options.willQos, 2),
                          true);
    }
    flushPending();
    emit connected();
}

void MosquittoClient::onConnectionLost(const QString &reason)
{
    m_loop->detach();
    m_connackPending = false;
    const int rc = std::exchange(m_lostRc, 0);
    if (!m_wanted) {
        if (m_state != ConnectionState::Error) {
            setState(ConnectionState::Disconnected, reason);
        }
        return;
    }
    if (m_takeover.lost(m_sinceStart.elapsed(), rc)) {
        m_takenOver = true;
        const QString warning = takeoverWarning();
        qCWarning(lcMqtt).noquote() << "MQTT:" << warning;
        scheduleReconnect(warning);
        return;
    }
    scheduleReconnect(explainTlsFailure(reason));
}

QString MosquittoClient::takeoverWarning() const
{
    if (!m_takeover.suspectedAt(m_sinceStart.elapsed())) {
        return {};
    }
    return QStringLiteral("another client uses the id %1 (the broker closed our connection %2 "
                          "times right after accepting it)")
        .arg(m_options.clientId)
        .arg(m_takeover.count());
}

QString MosquittoClient::explainTlsFailure(const QString &reason)
{
    if (!m_tls || (m_tlsDetail.isEmpty() && reason != errorReason(MOSQ_ERR_TLS, 0))) {
        return reason;
    }
    const mosquittohandle::TlsFailure failure = mosquittohandle::explainTlsFailure(
        m_tlsDetail, redactUrl(m_options.brokerUrl), m_options.caFile, QString::fromUtf8(m_host));
    m_tlsDetail.clear();
    m_certRejected = failure.permanent;
    return failure.text;
}

void MosquittoClient::scheduleReconnect(const QString &reason)
{
    if (!m_wanted || m_reconnectTimer->isActive()) {
        return;
    }
    ++m_failures;
    // A refusal (bad credentials, rejected id), a certificate that does not verify or another
    // client with our id needs a configuration change on one side: we stay in Error but keep
    // retrying at the slowest pace, so fixing the broker recovers by itself.
    const bool permanent = m_refused || m_certRejected || m_takenOver;
    const int delay = permanent ? m_backoff.nextAtMax() : m_backoff.next();
    const ConnectionState next = permanent ? ConnectionState::Error : ConnectionState::Reconnecting;
    if (next == m_state && reason == m_lastError && m_failures > 1 && m_failureLog.allow()) {
        qCWarning(lcMqtt).noquote()
            << "MQTT: still cannot connect to" << redactUrl(m_options.brokerUrl) << "after"
            << m_failures << "attempts:" << reason;
    }
    setState(next, reason);
    m_reconnectTimer->start(delay);
}

void MosquittoClient::setState(ConnectionState state, const QString &reason)
{
    const ConnectionState previous = m_state;
    const QString previousError = m_lastError;
    if (state == ConnectionState::Reconnecting || state == ConnectionState::Error) {
        m_lastError = reason;
    } else if (state == ConnectionState::Connected) {
        m_lastError.clear();
    }
    if (state == previous && m_lastError == previousError) {
        return;
    }
    m_state = state;
    if (state != previous) {
        m_failureLog.restart();
        const QString text =
            QStringLiteral("MQTT %1: %2 -> %3%4")
                .arg(redactUrl(m_options.brokerUrl), QLatin1String(connectionStateName(previous)),
                     QLatin1String(connectionStateName(state)),
                     reason.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(reason));
        if (state == ConnectionState::Reconnecting || state == ConnectionState::Error) {
            qCWarning(lcMqtt).noquote() << text;
        } else {
            qCInfo(lcMqtt).noquote() << text;
        }
    }
    emit stateChanged(state, reason);
}

void MosquittoClient::onConnectCb(mosquitto *, void *self, int rc)
{
    auto *client = static_cast<MosquittoClient *>(self);
    if (rc == 0) {
        // Handled once libmosquitto returns: it resends unacknowledged QoS 1 messages right
        // after this callback, and those must go before our queued ones.
        client->m_connackPending = true;
        return;
    }
    client->m_refused = rc == 1 || rc == 2 || rc == 4 || rc == 5;
    client->m_lastError = mqttConnackReason(rc);
}

void MosquittoClient::onDisconnectCb(mosquitto *, void *self, int rc)
{
    const int savedErrno = errno;
    auto *client = static_cast<MosquittoClient *>(self);
    client->m_lostRc = rc;
    QString reason;
    if (rc == MOSQ_ERR_CONN_REFUSED || client->m_refused) {
        reason = client->m_lastError.isEmpty() ? QStringLiteral("connection refused")
                                               : client->m_lastError;
    } else if (rc == MOSQ_ERR_SUCCESS) {
        reason = QStringLiteral("disconnected");
    } else {
        reason = errorReason(rc, savedErrno);
    }
    client->onConnectionLost(reason);
}

void MosquittoClient::onMessageCb(mosquitto *, void *self, const mosquitto_message *message)
{
    auto *client = static_cast<MosquittoClient *>(self);
    ++client->m_counters.received;
    // A stream mostly repeats a few topics: reuse the last one's (shared) QByteArray instead of
    // allocating a copy per message.
    const char *topic = message->topic;
    if (std::strcmp(client->m_lastTopic.constData(), topic) != 0) {
        client->m_lastTopic = QByteArray(topic);
    }
    // The slots may make system calls; onReadable() reads errno after libmosquitto returns.
    const int savedErrno = errno;
    emit client->messageReceived(
        client->m_lastTopic,
        QByteArray(static_cast<const char *>(message->payload), message->payloadlen));
    errno = savedErrno;
}

void MosquittoClient::onPublishCb(mosquitto *, void *self, int mid)
{
    static_cast<MosquittoClient *>(self)->m_inflight.remove(mid);
}

void MosquittoClient::onLogCb(mosquitto *, void *self, int level, const char *text)
{
    // libmosquitto reports a failed TLS handshake only as MOSQ_ERR_TLS; the reason (certificate
    // verify failed, wrong version number, ...) comes through its log as "OpenSSL Error[n]: ...".
    if (level == MOSQ_LOG_ERR && text && std::strncmp(text, "OpenSSL Error", 13) == 0) {
        static_cast<MosquittoClient *>(self)->m_tlsDetail = QString::fromUtf8(text);
    }
}

} // namespace greenpulse::core
