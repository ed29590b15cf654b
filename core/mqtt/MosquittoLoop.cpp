#include "mqtt/MosquittoLoop_p.h"

#include "mqtt/MosquittoHandle_p.h"

#include <QDeadlineTimer>
#include <QSocketNotifier>
#include <QTimer>
#include <cerrno>
#include <mosquitto.h>
#include <poll.h>

namespace greenpulse::core {

namespace {
constexpr int kMaxPacketsPerActivation = 1000; // bounds one read burst so timers still run
constexpr int kMiscIntervalMs = 200;           // mosquitto_loop_misc: keepalive and pings
} // namespace

MosquittoLoop::MosquittoLoop(Hooks hooks, QObject *parent)
    : QObject(parent), m_hooks(std::move(hooks))
{
    m_miscTimer = new QTimer(this);
    m_miscTimer->setInterval(kMiscIntervalMs);
    connect(m_miscTimer, &QTimer::timeout, this, &MosquittoLoop::onMiscTimer);
}

void MosquittoLoop::startMiscTimer()
{
    m_miscTimer->start();
}

void MosquittoLoop::stopMiscTimer()
{
    m_miscTimer->stop();
}

void MosquittoLoop::attach(mosquitto *mosq)
{
    m_mosq = mosq;
    const int fd = mosquitto_socket(m_mosq);
    if (fd < 0) {
        return;
    }
    if (m_attached && fd == m_socket) {
        updateWriteNotifier();
        return;
    }
    detach();
    m_socket = fd;
    m_attached = true;
    m_readNotifier = new QSocketNotifier(fd, QSocketNotifier::Read, this);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &MosquittoLoop::onReadable);
    m_writeNotifier = new QSocketNotifier(fd, QSocketNotifier::Write, this);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &MosquittoLoop::onWritable);
    updateWriteNotifier();
}

void MosquittoLoop::detach()
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
    m_attached = false;
    m_socket = -1;
}

void MosquittoLoop::updateWriteNotifier()
{
    if (m_writeNotifier) {
        const bool want = mosquitto_want_write(m_mosq);
        if (m_writeNotifier->isEnabled() != want) {
            m_writeNotifier->setEnabled(want);
        }
    }
}

void MosquittoLoop::onReadable()
{
    if (!m_mosq || !m_attached) {
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
        ++m_depth;
        errno = 0;
        const int rc = mosquitto_loop_read(m_mosq, 1);
        const int savedErrno = errno;
        --m_depth;
        m_hooks.returned();
        if (rc != MOSQ_ERR_SUCCESS) {
            errno = savedErrno;
            checkResult(rc);
            break;
        }
        if (savedErrno == EAGAIN || savedErrno == EWOULDBLOCK || !m_attached || m_socket != fd) {
            break;
        }
    }
    settle();
}

void MosquittoLoop::onWritable()
{
    if (!m_mosq || !m_attached) {
        return;
    }
    ++m_depth;
    const int rc = mosquitto_loop_write(m_mosq, 1);
    --m_depth;
    checkResult(rc);
    settle();
}

void MosquittoLoop::onMiscTimer()
{
    if (!m_mosq || !m_attached) {
        return;
    }
    ++m_depth;
    const int rc = mosquitto_loop_misc(m_mosq);
    --m_depth;
    checkResult(rc);
    settle();
}

void MosquittoLoop::checkResult(int rc)
{
    // libmosquitto has normally already called onDisconnectCb for a failure; this catches a
    // socket that went away without it.
    const int savedErrno = errno;
    if (m_attached && (rc != MOSQ_ERR_SUCCESS || mosquitto_socket(m_mosq) != m_socket)) {
        m_hooks.lost(mosquittohandle::errorReason(rc == MOSQ_ERR_SUCCESS ? MOSQ_ERR_CONN_LOST : rc,
                                                  savedErrno));
    }
}

void MosquittoLoop::settle()
{
    m_hooks.returned();
    updateWriteNotifier();
    m_hooks.settled();
}

void MosquittoLoop::pumpWhile(const std::function<bool()> &pred, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (pred() && !deadline.hasExpired() && m_attached) {
        pollfd pfd{};
        pfd.fd = m_socket;
        pfd.events = static_cast<short>(POLLIN | (mosquitto_want_write(m_mosq) ? POLLOUT : 0));
        const int wait = static_cast<int>(qBound(qint64(1), deadline.remainingTime(), qint64(50)));
        const int n = ::poll(&pfd, 1, wait);
        if (n < 0 && errno != EINTR) {
            break;
        }
        if (n > 0 && (pfd.revents & POLLNVAL)) {
            m_hooks.lost(QStringLiteral("connection lost"));
            break;
        }
        if (n > 0 && (pfd.revents & POLLOUT)) {
            onWritable();
        }
        if (n > 0 && m_attached && (pfd.revents & (POLLIN | POLLHUP | POLLERR))) {
            onReadable();
        }
        if (n == 0) {
            onMiscTimer();
        }
    }
}

} // namespace greenpulse::core
