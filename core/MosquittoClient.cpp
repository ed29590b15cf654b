#include "MosquittoClient.h"

#include "Logging.h"

#include <QDeadlineTimer>
#include <QRandomGenerator>
#include <QSocketNotifier>
#include <QTimer>
#include <cerrno>
#include <cstring>
#include <mosquitto.h>
#include <poll.h>

namespace greenpulse::core {

namespace {

constexpr int kMaxPacketsPerActivation = 1000; // bounds one read burst so timers still run
constexpr int kMiscIntervalMs = 200;           // mosquitto_loop_misc: keepalive and pings
constexpr int kFailureLogIntervalMs = 30'000;  // repeated connect failures are logged this often
constexpr int kSendMaximum = 100;     // QoS 1 messages in flight before libmosquitto queues
constexpr int kDrainTimeoutMs = 1000; // disconnectFromBroker: wait for acknowledgements

void initLibrary()
{
    static const int once = [] { return mosquitto_lib_init(); }();
    Q_UNUSED(once)
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

} // namespace

MosquittoClient::MosquittoClient(MqttOptions options, QObject *parent)
    : MqttClient(parent), m_options(std::move(options))
{
    if (m_options.clientId.isEmpty()) {
        m_options.clientId = defaultMqttClientId();
    }
    m_miscTimer = new QTimer(this);
    m_miscTimer->setInterval(kMiscIntervalMs);
    connect(m_miscTimer, &QTimer::timeout, this, &MosquittoClient::onMiscTimer);
    m_reconnectTimer = new QTimer(this);
    m_reconnectTimer->setSingleShot(true);
    connect(m_reconnectTimer, &QTimer::timeout, this, &MosquittoClient::attempt);
}

MosquittoClient::~MosquittoClient()
{
    if (m_mosq) {
        if (m_wanted || m_tcpUp) {
            disconnectFromBroker();
        }
        detachSocket();
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
    initLibrary();
    m_mosq = mosquitto_new(m_options.clientId.toUtf8().constData(), m_options.cleanSession, this);
    if (!m_mosq) {
        *error = QStringLiteral("cannot create the MQTT client: %1")
                     .arg(QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    mosquitto_int_option(m_mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    mosquitto_int_option(m_mosq, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_int_option(m_mosq, MOSQ_OPT_SEND_MAXIMUM, kSendMaximum);
    mosquitto_connect_callback_set(m_mosq, &MosquittoClient::onConnectCb);
    mosquitto_disconnect_callback_set(m_mosq, &MosquittoClient::onDisconnectCb);
    mosquitto_message_callback_set(m_mosq, &MosquittoClient::onMessageCb);
    mosquitto_publish_callback_set(m_mosq, &MosquittoClient::onPublishCb);

    int rc = MOSQ_ERR_SUCCESS;
    if (!m_options.username.isEmpty()) {
        const QByteArray user = m_options.username.toUtf8();
        const QByteArray password = m_options.password.toUtf8();
        rc = mosquitto_username_pw_set(m_mosq, user.constData(),
                                       m_options.password.isEmpty() ? nullptr
                                                                    : password.constData());
        if (rc != MOSQ_ERR_SUCCESS) {
            *error = QStringLiteral("invalid MQTT username: %1").arg(errorReason(rc, errno));
        }
    }
    if (rc == MOSQ_ERR_SUCCESS && m_tls) {
        const QByteArray caFile = m_options.caFile.toLocal8Bit();
        rc = mosquitto_tls_set(m_mosq, caFile.isEmpty() ? nullptr : caFile.constData(),
                               caFile.isEmpty() ? "/etc/ssl/certs" : nullptr, nullptr, nullptr,
                               nullptr);
        if (rc != MOSQ_ERR_SUCCESS) {
            *error = rc == MOSQ_ERR_INVAL
                         ? QStringLiteral("cannot read the CA file '%1'").arg(m_options.caFile)
                         : QStringLiteral("TLS setup failed: %1").arg(errorReason(rc, errno));
        }
    }
    if (rc == MOSQ_ERR_SUCCESS && !m_options.willTopic.isEmpty()) {
        rc = mosquitto_will_set(m_mosq, m_options.willTopic.constData(),
                                static_cast<int>(m_options.willPayload.size()),
                                m_options.willPayload.constData(), qBound(0, m_options.willQos, 2),
                                m_options.willRetain);
        if (rc != MOSQ_ERR_SUCCESS) {
            *error = QStringLiteral("invalid last will: %1").arg(errorReason(rc, errno));
        }
    }
    if (rc != MOSQ_ERR_SUCCESS) {
        mosquitto_destroy(m_mosq);
        m_mosq = nullptr;
        return false;
    }
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
    m_backoffMs = 0;
    m_failures = 0;
    setState(ConnectionState::Connecting, QString());
    m_miscTimer->start();
    attempt();
}

void MosquittoClient::attempt()
{
    if (!m_wanted || !m_mosq) {
        return;
    }
    detachSocket();
    m_connackPending = false;
    const int keepAlive =
        m_options.keepAliveSeconds <= 0 ? 0 : qBound(5, m_options.keepAliveSeconds, 65535);
    errno = 0;
    // Resolves the host name synchronously (instant for addresses and /etc/hosts names); the TCP
    // connect itself is non-blocking and completes in onWritable()/onReadable().
    const int rc = mosquitto_connect_async(m_mosq, m_host.constData(), m_port, keepAlive);
    const int savedErrno = errno;
    if (rc == MOSQ_ERR_SUCCESS || rc == MOSQ_ERR_CONN_PENDING) {
        attachSocket();
        if (m_tcpUp) {
            return;
        }
    }
    scheduleReconnect(errorReason(rc, savedErrno));
}

void MosquittoClient::disconnectFromBroker()
{
    m_reconnectTimer->stop();
    m_wanted = false;
    if (m_mosq && m_tcpUp) {
        if (m_state == ConnectionState::Connected && m_loopDepth == 0) {
            pumpWhile([this] { return m_tcpUp && !isIdle(); }, kDrainTimeoutMs);
        }
        if (m_tcpUp) {
            mosquitto_disconnect(m_mosq);
            if (m_loopDepth == 0) {
                // The broker closes the socket after our DISCONNECT; reading that EOF lets
                // libmosquitto close its socket too.
                pumpWhile([this] { return m_tcpUp; }, 300);
            }
        }
    }
    detachSocket();
    m_miscTimer->stop();
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
    if (m_state == ConnectionState::Connected && m_tcpUp) {
        subscribeNow(topicFilter, qos);
        updateWriteNotifier();
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
    if (m_state == ConnectionState::Connected && m_tcpUp && m_pending.empty()) {
        switch (sendNow(message)) {
        case SendResult::Sent:
            updateWriteNotifier();
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
    while (!m_pending.empty() && m_state == ConnectionState::Connected && m_tcpUp) {
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
    return !(m_mosq && m_tcpUp && m_state == ConnectionState::Connected &&
             mosquitto_want_write(m_mosq));
}

MqttCounters MosquittoClient::counters() const
{
    MqttCounters counters = m_counters;
    counters.pendingPublishes = m_pending.size();
    return counters;
}

void MosquittoClient::attachSocket()
{
    const int fd = mosquitto_socket(m_mosq);
    if (fd < 0) {
        return;
    }
    if (m_tcpUp && fd == m_socket) {
        updateWriteNotifier();
        return;
    }
    detachSocket();
    m_socket = fd;
    m_tcpUp = true;
    m_readNotifier = new QSocketNotifier(fd, QSocketNotifier::Read, this);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &MosquittoClient::onReadable);
    m_writeNotifier = new QSocketNotifier(fd, QSocketNotifier::Write, this);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &MosquittoClient::onWritable);
    updateWriteNotifier();
}

void MosquittoClient::detachSocket()
{
    // Called from inside the notifiers' own slots too: disable now (so the event loop never
    // polls a closed or reused descriptor), delete later.
    for (QSocketNotifier **notifier : {&m_readNotifier, &m_writeNotifier}) {
        if (*notifier) {
            (*notifier)->setEnabled(false);
            (*notifier)->disconnect(this);
            (*notifier)->deleteLater();
            *notifier = nullptr;
        }
    }
    m_tcpUp = false;
    m_socket = -1;
}

void MosquittoClient::updateWriteNotifier()
{
    if (m_writeNotifier) {
        const bool want = mosquitto_want_write(m_mosq);
        if (m_writeNotifier->isEnabled() != want) {
            m_writeNotifier->setEnabled(want);
        }
    }
}

void MosquittoClient::onReadable()
{
    if (!m_mosq || !m_tcpUp) {
        return;
    }
    const int fd = m_socket;
    // libmosquitto reads one packet per call (a few small reads each). Drain what the socket
    // holds, bounded so timers and other sockets still get their turn: a fast stream costs one
    // event loop pass per burst rather than per message. Like libmosquitto's own loop, "nothing
    // left" is errno EAGAIN after the call (its read hit an empty socket, or half a packet), so
    // there is no extra system call per packet; the read notifier is level-triggered, so
    // stopping early never loses data.
    for (int i = 0; i < kMaxPacketsPerActivation; ++i) {
        ++m_loopDepth;
        errno = 0;
        const int rc = mosquitto_loop_read(m_mosq, 1);
        const int savedErrno = errno;
        --m_loopDepth;
        if (m_connackPending) {
            onConnected();
        }
        if (rc != MOSQ_ERR_SUCCESS) {
            errno = savedErrno;
            handleLoopResult(rc);
            break;
        }
        if (savedErrno == EAGAIN || savedErrno == EWOULDBLOCK || !m_tcpUp || m_socket != fd) {
            break;
        }
    }
    afterLoop();
}

void MosquittoClient::onWritable()
{
    if (!m_mosq || !m_tcpUp) {
        return;
    }
    ++m_loopDepth;
    const int rc = mosquitto_loop_write(m_mosq, 1);
    --m_loopDepth;
    handleLoopResult(rc);
    afterLoop();
}

void MosquittoClient::onMiscTimer()
{
    if (!m_mosq || !m_tcpUp) {
        return;
    }
    ++m_loopDepth;
    const int rc = mosquitto_loop_misc(m_mosq);
    --m_loopDepth;
    handleLoopResult(rc);
    afterLoop();
}

void MosquittoClient::handleLoopResult(int rc)
{
    // libmosquitto has normally already called onDisconnectCb for a failure; this catches a
    // socket that went away without it.
    const int savedErrno = errno;
    if (m_tcpUp && (rc != MOSQ_ERR_SUCCESS || mosquitto_socket(m_mosq) != m_socket)) {
        onConnectionLost(errorReason(rc == MOSQ_ERR_SUCCESS ? MOSQ_ERR_CONN_LOST : rc, savedErrno));
    }
}

void MosquittoClient::afterLoop()
{
    if (m_connackPending) {
        onConnected();
    }
    updateWriteNotifier();
    if (!m_idleEmitted && isIdle()) {
        m_idleEmitted = true;
        emit idle();
    }
}

void MosquittoClient::pumpWhile(const std::function<bool()> &pred, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (pred() && !deadline.hasExpired() && m_tcpUp) {
        pollfd pfd{};
        pfd.fd = m_socket;
        pfd.events = static_cast<short>(POLLIN | (mosquitto_want_write(m_mosq) ? POLLOUT : 0));
        const int wait = static_cast<int>(qBound(qint64(1), deadline.remainingTime(), qint64(50)));
        const int n = ::poll(&pfd, 1, wait);
        if (n < 0 && errno != EINTR) {
            break;
        }
        if (n > 0 && (pfd.revents & POLLNVAL)) {
            onConnectionLost(QStringLiteral("connection lost"));
            break;
        }
        if (n > 0 && (pfd.revents & POLLOUT)) {
            onWritable();
        }
        if (n > 0 && m_tcpUp && (pfd.revents & (POLLIN | POLLHUP | POLLERR))) {
            onReadable();
        }
        if (n == 0) {
            onMiscTimer();
        }
    }
}

void MosquittoClient::onConnected()
{
    m_connackPending = false;
    m_refused = false;
    m_backoffMs = 0;
    if (m_failures > 1) {
        qCInfo(lcMqtt).noquote() << "MQTT: connected after" << m_failures << "failed attempts";
    }
    m_failures = 0;
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
    detachSocket();
    m_connackPending = false;
    if (!m_wanted) {
        if (m_state != ConnectionState::Error) {
            setState(ConnectionState::Disconnected, reason);
        }
        return;
    }
    scheduleReconnect(reason);
}

void MosquittoClient::scheduleReconnect(const QString &reason)
{
    if (!m_wanted || m_reconnectTimer->isActive()) {
        return;
    }
    ++m_failures;
    // A refusal (bad credentials, rejected id) needs a configuration change on one side: we stay
    // in Error but keep retrying at the slowest pace, so fixing the broker recovers by itself.
    m_backoffMs = m_refused || m_backoffMs <= 0
                      ? (m_refused ? m_options.reconnectMaxMs : m_options.reconnectMinMs)
                      : qMin(m_backoffMs * 2, m_options.reconnectMaxMs);
    m_backoffMs = qMax(1, m_backoffMs);
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    const int delay = qMax(1, static_cast<int>(m_backoffMs * jitter));
    const ConnectionState next = m_refused ? ConnectionState::Error : ConnectionState::Reconnecting;
    if (next == m_state && reason == m_lastError && m_failures > 1 &&
        (!m_lastFailureLog.isValid() || m_lastFailureLog.elapsed() >= kFailureLogIntervalMs)) {
        qCWarning(lcMqtt).noquote() << "MQTT: still cannot connect to" << m_options.brokerUrl
                                    << "after" << m_failures << "attempts:" << reason;
        m_lastFailureLog.restart();
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
        m_lastFailureLog.restart();
        const QString text =
            QStringLiteral("MQTT %1: %2 -> %3%4")
                .arg(m_options.brokerUrl, QLatin1String(connectionStateName(previous)),
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

} // namespace greenpulse::core
