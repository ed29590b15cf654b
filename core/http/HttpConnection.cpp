#include "http/HttpConnection.h"

#include "base/Logging.h"
#include "base/Version.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>
#include <utility>

namespace greenpulse::core {

namespace {

bool isHttps(const QUrl &url)
{
    return url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0;
}

quint16 portOf(const QUrl &url)
{
    return static_cast<quint16>(url.port(isHttps(url) ? 443 : 80));
}

QByteArray hostHeader(const QUrl &url)
{
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':')) {
        host = '[' + host + ']'; // IPv6 literal
    }
    if (url.port() != -1 && url.port() != (isHttps(url) ? 443 : 80)) {
        host += ':' + QByteArray::number(url.port());
    }
    return host;
}

bool hasHeader(const QList<QPair<QByteArray, QByteArray>> &headers, const char *name)
{
    for (const auto &header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0) {
            return true;
        }
    }
    return false;
}

} // namespace

HttpConnection::HttpConnection(QObject *parent) : QObject(parent), m_timer(new QTimer(this))
{
    qRegisterMetaType<HttpResponse>();
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &HttpConnection::onTimeout);
}

HttpConnection::~HttpConnection()
{
    dropSocket();
}

void HttpConnection::setTimeout(int ms)
{
    m_timeoutMs = qMax(1, ms);
}

void HttpConnection::setMaxResponseBytes(qint64 bytes)
{
    m_maxResponseBytes = qMax<qint64>(0, bytes);
}

bool HttpConnection::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void HttpConnection::send(const HttpRequest &request)
{
    if (m_busy) {
        abort();
    }
    ++m_generation;
    m_request = request;
    m_busy = true;
    m_retried = false;

    const QUrl &url = request.url;
    QByteArray target =
        url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    if (!target.startsWith('/')) {
        target.prepend('/');
    }
    m_out.clear();
    m_out.reserve(request.body.size() + 512);
    m_out += request.method + ' ' + target + " HTTP/1.1\r\nHost: " + hostHeader(url) + "\r\n";
    for (const auto &header : request.headers) {
        m_out += header.first + ": " + header.second + "\r\n";
    }
    if (!hasHeader(request.headers, "User-Agent")) {
        m_out += QByteArrayLiteral("User-Agent: GreenPulse/") + kVersion + "\r\n";
    }
    if (!request.body.isEmpty() || (request.method != "GET" && request.method != "HEAD")) {
        m_out += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n";
    }
    m_out += "\r\n";
    m_out += request.body; // with the head: one write, one segment train, no Nagle wait

    m_sending = true;
    startAttempt();
    m_sending = false;
}

void HttpConnection::startAttempt()
{
    m_gotAnswer = false;
    m_reader.start(m_request.method == "HEAD", m_maxResponseBytes);
    const QUrl &url = m_request.url;
    const QString key = url.scheme().toLower() + QLatin1String("://") + url.host() +
                        QLatin1Char(':') + QString::number(portOf(url));
    if (m_socket && (m_peerKey != key || !isConnected())) {
        dropSocket();
    }
    progress();
    if (m_socket) {
        m_reused = true;
        writeRequest();
        return;
    }
    m_reused = false;
    m_peerKey = key;
    openSocket();
}

void HttpConnection::openSocket()
{
    const QUrl &url = m_request.url;
    const bool tls = isHttps(url);
    if (tls && !QSslSocket::supportsSsl()) {
        fail(QStringLiteral("https is not available: no TLS backend"), false);
        return;
    }
    if (!tls && url.scheme().compare(QLatin1String("http"), Qt::CaseInsensitive) != 0) {
        fail(QStringLiteral("unsupported URL scheme \"%1\" (http or https)").arg(url.scheme()),
             false);
        return;
    }
    QTcpSocket *socket = tls ? new QSslSocket(this) : new QTcpSocket(this);
    m_socket = socket;
    ++m_connectionsOpened;
    connect(socket, &QAbstractSocket::connected, this, [this, socket, tls] {
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        socket->setSocketOption(QAbstractSocket::KeepAliveOption, 1);
        progress();
        if (!tls) {
            writeRequest();
        }
    });
    connect(socket, &QIODevice::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QIODevice::bytesWritten, this, &HttpConnection::progress);
    connect(socket, &QAbstractSocket::errorOccurred, this,
            [this, socket] { onSocketClosed(socket->errorString()); });
    connect(socket, &QAbstractSocket::disconnected, this,
            [this] { onSocketClosed(QStringLiteral("The remote host closed the connection")); });
    if (tls) {
        auto *ssl = static_cast<QSslSocket *>(socket);
        connect(ssl, &QSslSocket::encrypted, this, &HttpConnection::writeRequest);
        ssl->connectToHostEncrypted(url.host(), portOf(url)); // system CAs, host name verified
    } else {
        socket->connectToHost(url.host(), portOf(url));
    }
}

void HttpConnection::writeRequest()
{
    if (!m_socket || !m_busy) {
        return;
    }
    progress();
    if (m_socket->write(m_out) != m_out.size()) {
        fail(m_socket->errorString(), true);
        return;
    }
    m_socket->flush(); // now, not when the event loop comes back to the socket
}

void HttpConnection::progress()
{
    if (m_busy) {
        m_timer->start(m_timeoutMs);
    }
}

void HttpConnection::onReadyRead()
{
    if (!m_socket) {
        return;
    }
    const QByteArray data = m_socket->readAll();
    if (!m_busy) {
        // Nothing was asked: an idle connection that talks cannot be trusted with the next one.
        dropSocket();
        return;
    }
    if (data.isEmpty()) {
        return;
    }
    m_gotAnswer = true;
    progress();
    switch (m_reader.feed(data)) {
    case HttpResponseReader::Step::Done:
        finish(m_reader.take(), m_reader.mustClose());
        break;
    case HttpResponseReader::Step::Failed:
        fail(QStringLiteral("HTTP answer from %1: %2").arg(peerName(), m_reader.error()), false);
        break;
    case HttpResponseReader::Step::More:
        break;
    }
}

// The connection ended (closed by the server, reset, refused, TLS failure): an answer that ends
// with the connection is complete, anything else failed.
void HttpConnection::onSocketClosed(const QString &why)
{
    if (!m_socket) {
        return;
    }
    if (!m_busy) {
        dropSocket(); // an idle kept-alive connection the server closed: the next one is new
        return;
    }
    const QByteArray rest = m_socket->readAll();
    m_gotAnswer = m_gotAnswer || !rest.isEmpty();
    const HttpResponseReader::Step step = m_reader.feed(rest);
    dropSocket();
    if (step == HttpResponseReader::Step::Failed) {
        fail(QStringLiteral("HTTP answer from %1: %2").arg(peerName(), m_reader.error()), false);
    } else if (step == HttpResponseReader::Step::Done || m_reader.endsWithClose()) {
        finish(m_reader.take(), true);
    } else if (m_gotAnswer) {
        fail(QStringLiteral("the connection to %1 ended in the middle of the answer (%2)")
                 .arg(peerName(), why),
             false);
    } else {
        fail(why, true);
    }
}

void HttpConnection::onTimeout()
{
    if (m_busy) {
        fail(QStringLiteral("no answer from %1 within %2 s (timeout)")
                 .arg(peerName())
                 .arg(static_cast<double>(m_timeoutMs) / 1000.0),
             false);
    }
}

QString HttpConnection::peerName() const
{
    return m_request.url.host() + QLatin1Char(':') + QString::number(portOf(m_request.url));
}

void HttpConnection::fail(const QString &error, bool retryable)
{
    dropSocket();
    if (retryable && m_reused && !m_gotAnswer && !m_retried) {
        // The server had closed the idle kept-alive connection: once more on a new one.
        m_retried = true;
        qCDebug(lcInflux) << "Kept-alive connection to" << peerName() << "closed (" << error
                          << "); sending again on a new connection";
        startAttempt();
        return;
    }
    HttpResponse response;
    response.error = error;
    finish(std::move(response), true);
}

void HttpConnection::finish(HttpResponse response, bool close)
{
    m_timer->stop();
    m_busy = false;
    if (close) {
        dropSocket(); // asked to, failed, or bytes after the answer: the stream cannot be trusted
    }
    m_out.clear();
    m_request = {};
    deliver(response);
}

void HttpConnection::deliver(const HttpResponse &response)
{
    if (!m_sending) {
        emit finished(response);
        return;
    }
    // Failed inside send(): the caller hears of it from the event loop, not from its own call.
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation, response] {
            if (generation == m_generation && !m_busy) {
                emit finished(response);
            }
        },
        Qt::QueuedConnection);
}

void HttpConnection::abort()
{
    ++m_generation;
    m_busy = false;
    m_timer->stop();
    dropSocket();
    m_out.clear();
    m_request = {};
}

void HttpConnection::dropSocket()
{
    QTcpSocket *socket = std::exchange(m_socket, nullptr);
    m_peerKey.clear();
    if (!socket) {
        return;
    }
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

} // namespace greenpulse::core
