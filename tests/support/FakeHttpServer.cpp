#include "FakeHttpServer.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <zlib.h>

namespace greenpulse::test {

// Independent of the writer's gzip code on purpose: zlib's inflate with gzip decoding.
QByteArray gunzip(const QByteArray &data, bool *ok)
{
    z_stream zs{};
    QByteArray out;
    bool good = inflateInit2(&zs, 31) == Z_OK;
    if (good) {
        zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
        zs.avail_in = static_cast<uInt>(data.size());
        char chunk[16384];
        int rc = Z_OK;
        while (rc == Z_OK) {
            zs.next_out = reinterpret_cast<Bytef *>(chunk);
            zs.avail_out = sizeof chunk;
            rc = inflate(&zs, Z_NO_FLUSH);
            out.append(chunk, static_cast<qsizetype>(sizeof chunk - zs.avail_out));
            if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
                break;
            }
        }
        good = rc == Z_STREAM_END;
        inflateEnd(&zs);
    }
    if (ok) {
        *ok = good;
    }
    return out;
}

FakeHttpServer::FakeHttpServer(QObject *parent) : QObject(parent), m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeHttpServer::onNewConnection);
}

FakeHttpServer::~FakeHttpServer() = default;

bool FakeHttpServer::listen()
{
    m_clock.start();
    return m_server->listen(QHostAddress::LocalHost, 0);
}

bool FakeHttpServer::listenTls(const QString &certFile, const QString &keyFile)
{
    QFile cert(certFile);
    QFile key(keyFile);
    if (!cert.open(QIODevice::ReadOnly) || !key.open(QIODevice::ReadOnly)) {
        return false;
    }
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(QSslCertificate(cert.readAll(), QSsl::Pem));
    config.setPrivateKey(QSslKey(key.readAll(), QSsl::Rsa, QSsl::Pem));
    config.setPeerVerifyMode(QSslSocket::VerifyNone); // no client certificates
    auto *server = new QSslServer(this);
    server->setSslConfiguration(config);
    delete m_server;
    m_server = server;
    m_tls = true;
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this,
            &FakeHttpServer::onNewConnection);
    return listen();
}

quint16 FakeHttpServer::port() const
{
    return m_server->serverPort();
}

QString FakeHttpServer::url() const
{
    return QStringLiteral("%1://127.0.0.1:%2")
        .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))
        .arg(port());
}

void FakeHttpServer::enqueue(int status, const QByteArray &body,
                             const QList<QPair<QByteArray, QByteArray>> &headers)
{
    Response response;
    response.status = status;
    response.headers = headers;
    response.body = body;
    m_script.push_back(response);
}

void FakeHttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        ++m_connections;
        m_buffers.insert(socket, {});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void FakeHttpServer::closeConnections()
{
    const QList<QTcpSocket *> sockets = m_buffers.keys();
    for (QTcpSocket *socket : sockets) {
        socket->disconnectFromHost();
    }
}

QByteArray FakeHttpServer::render(const Response &response)
{
    if (!response.raw.isEmpty()) {
        return response.raw;
    }
    QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + " Scripted\r\n";
    for (const auto &header : response.headers) {
        out += header.first + ": " + header.second + "\r\n";
    }
    if (!response.body.isEmpty()) {
        out += "Content-Type: application/json\r\n";
    }
    if (response.close) {
        out += "Connection: close\r\n";
    }
    if (!response.chunked) {
        out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\n\r\n";
        return out + response.body;
    }
    out += "Transfer-Encoding: chunked\r\n\r\n";
    for (qsizetype i = 0; i < response.body.size(); i += 7) {
        const QByteArray chunk = response.body.mid(i, 7);
        out += QByteArray::number(chunk.size(), 16) + ";ext=1\r\n" + chunk + "\r\n";
    }
    return out + "0\r\nX-Trailer: yes\r\n\r\n";
}

void FakeHttpServer::onReadyRead(QTcpSocket *socket)
{
    if (!m_buffers.contains(socket)) {
        return; // closed by closeConnections()
    }
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    for (;;) {
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0) {
            return;
        }
        Request request;
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        request.method = requestLine.value(0);
        request.target = requestLine.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines[i].indexOf(':');
            if (colon > 0) {
                request.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                       lines[i].mid(colon + 1).trimmed());
            }
        }
        const qsizetype length = request.headers.value("content-length", "0").toLongLong();
        if (buffer.size() < headerEnd + 4 + length) {
            return; // body not complete yet
        }
        request.rawBody = buffer.mid(headerEnd + 4, length);
        buffer.remove(0, headerEnd + 4 + length);
        request.body = request.headers.value("content-encoding") == "gzip"
                           ? gunzip(request.rawBody, &request.gzipOk)
                           : request.rawBody;
        request.receivedMs = m_clock.elapsed();
        m_requests.append(request);

        Response response = m_default;
        if (!m_script.empty()) {
            response = m_script.front();
            m_script.pop_front();
        }
        if (response.action == Action::NoAnswer) {
            continue;
        }
        if (response.action == Action::CloseWithoutAnswer) {
            socket->disconnectFromHost();
            return;
        }
        socket->write(render(response));
        if (response.close) {
            socket->disconnectFromHost();
            return;
        }
    }
}

} // namespace greenpulse::test
